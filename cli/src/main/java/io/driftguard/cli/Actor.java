package io.driftguard.cli;

/** Who a registry change is recorded for. */
final class Actor {

    private Actor() {
    }

    static String who(final String given) {
        if (given != null && !given.isBlank()) {
            return given.trim();
        }
        final String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "driftguard-cli" : user;
    }
}
