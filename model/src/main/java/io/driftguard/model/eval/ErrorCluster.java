package io.driftguard.model.eval;

/**
 * Where errors of one kind concentrate: rows of one slice value that are false positives (or false negatives).
 *
 * @param errors number of errors of this kind in the slice
 * @param shareOfErrors errors / all errors of this kind
 * @param sliceSize rows in the slice
 * @param lift shareOfErrors / (sliceSize / n): above 1 the slice holds more of these errors than its size suggests
 */
public record ErrorCluster(ErrorKind kind, String column, String value, long errors, double shareOfErrors,
                           long sliceSize, double lift) {
    public enum ErrorKind { FALSE_POSITIVE, FALSE_NEGATIVE }
}
