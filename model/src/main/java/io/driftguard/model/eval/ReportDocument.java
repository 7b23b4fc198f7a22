package io.driftguard.model.eval;

import java.util.ArrayList;
import java.util.List;

/** A format-neutral report: a list of blocks rendered once to Markdown and once to HTML. */
final class ReportDocument {
    sealed interface Block permits Heading, Paragraph, Bullets, Table, Image {
    }

    record Heading(int level, String text) implements Block {
    }

    record Paragraph(String text) implements Block {
    }

    record Bullets(List<String> items) implements Block {
    }

    record Table(List<String> header, List<List<String>> rows) implements Block {
        Table {
            for (final List<String> row : rows) {
                if (row.size() != header.size()) {
                    throw new IllegalArgumentException("table row " + row + " has " + row.size()
                            + " cells, header has " + header.size());
                }
            }
        }
    }

    record Image(String alt, String file) implements Block {
    }

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    ReportDocument(final String title) {
        this.title = title;
    }

    ReportDocument heading(final int level, final String text) {
        blocks.add(new Heading(level, text));
        return this;
    }

    ReportDocument paragraph(final String text) {
        blocks.add(new Paragraph(text));
        return this;
    }

    ReportDocument bullets(final List<String> items) {
        blocks.add(new Bullets(List.copyOf(items)));
        return this;
    }

    ReportDocument table(final List<String> header, final List<List<String>> rows) {
        blocks.add(new Table(List.copyOf(header), List.copyOf(rows)));
        return this;
    }

    ReportDocument image(final String alt, final String file) {
        blocks.add(new Image(alt, file));
        return this;
    }

    String markdown() {
        final StringBuilder out = new StringBuilder();
        out.append("# ").append(title).append("\n\n");
        for (final Block block : blocks) {
            if (block instanceof Heading h) {
                out.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
            } else if (block instanceof Paragraph p) {
                out.append(p.text()).append("\n\n");
            } else if (block instanceof Bullets b) {
                b.items().forEach(item -> out.append("- ").append(item).append('\n'));
                out.append('\n');
            } else if (block instanceof Table t) {
                out.append(mdRow(t.header()));
                out.append('|').append(" --- |".repeat(t.header().size())).append('\n');
                t.rows().forEach(row -> out.append(mdRow(row)));
                out.append('\n');
            } else if (block instanceof Image i) {
                out.append("![").append(i.alt()).append("](").append(i.file()).append(")\n\n");
            }
        }
        return out.toString();
    }

    private static String mdRow(final List<String> cells) {
        final StringBuilder row = new StringBuilder("|");
        for (final String cell : cells) {
            row.append(' ').append(cell.replace("|", "\\|").replace("\n", "<br>")).append(" |");
        }
        return row.append('\n').toString();
    }

    String html() {
        final StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;")
                .append("color:#222}\n")
                .append("table{border-collapse:collapse;margin:1em 0}\n")
                .append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}\n")
                .append("th{background:#f3f3f3}\ntd:first-child,th:first-child{text-align:left}\n")
                .append("img{max-width:100%;border:1px solid #eee;margin:0.5em 0}\n")
                .append("</style>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
        for (final Block block : blocks) {
            if (block instanceof Heading h) {
                out.append("<h").append(h.level()).append('>').append(escape(h.text())).append("</h")
                        .append(h.level()).append(">\n");
            } else if (block instanceof Paragraph p) {
                out.append("<p>").append(escape(p.text()).replace("\n", "<br>\n")).append("</p>\n");
            } else if (block instanceof Bullets b) {
                out.append("<ul>\n");
                b.items().forEach(item -> out.append("<li>").append(escape(item)).append("</li>\n"));
                out.append("</ul>\n");
            } else if (block instanceof Table t) {
                out.append("<table>\n<thead><tr>");
                t.header().forEach(c -> out.append("<th>").append(escape(c)).append("</th>"));
                out.append("</tr></thead>\n<tbody>\n");
                for (final List<String> row : t.rows()) {
                    out.append("<tr>");
                    row.forEach(c -> out.append("<td>").append(escape(c)).append("</td>"));
                    out.append("</tr>\n");
                }
                out.append("</tbody>\n</table>\n");
            } else if (block instanceof Image i) {
                out.append("<img src=\"").append(escape(i.file())).append("\" alt=\"").append(escape(i.alt()))
                        .append("\">\n");
            }
        }
        return out.append("</body>\n</html>\n").toString();
    }

    static String escape(final String text) {
        final StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
