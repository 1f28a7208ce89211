package dev.hearth.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL to test a dashboard against a scrape: finds the series selectors of an expression
 * ({@code name{label="v",other=~"re"}}), skipping functions, aggregations, their {@code by (...)} lists, range
 * durations, strings and numbers, and tells whether a scrape has a sample each selector matches. Grafana variables
 * ({@code $topic}, {@code ${topic}}, {@code $__rate_interval}) are replaced as "All" would: {@code .*} and
 * {@code 5m}. Anything else of PromQL (what rate or histogram_quantile compute) is not evaluated: a selector that
 * matches means the panel's query has input. Stateless; thread-safe.
 */
final class PromQlSelectors {

    /** One sample of a scrape: its metric name and labels. */
    record Sample(String name, Map<String, String> labels) {
    }

    /** A selector: a metric name and label matchers ({@code op} is =, !=, =~ or !~). */
    record Selector(String name, List<Matcher4> matchers) {
        boolean matches(Sample sample) {
            if (!sample.name().equals(name)) {
                return false;
            }
            for (Matcher4 m : matchers) {
                String value = sample.labels().getOrDefault(m.label(), "");
                boolean ok = switch (m.op()) {
                    case "=" -> value.equals(m.value());
                    case "!=" -> !value.equals(m.value());
                    case "=~" -> value.matches(m.value());
                    case "!~" -> !value.matches(m.value());
                    default -> throw new IllegalArgumentException("matcher operator " + m.op());
                };
                if (!ok) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return name + matchers;
        }
    }

    /** One label matcher. */
    record Matcher4(String label, String op, String value) {
        @Override
        public String toString() {
            return label + op + '"' + value + '"';
        }
    }

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern TOKEN = Pattern.compile(
            "\"(?:[^\"\\\\]|\\\\.)*\"|\\[[^\\]]*\\]|([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*\\})?\\s*(\\()?|\\{[^}]*\\}");
    private static final Pattern MATCHER = Pattern.compile(
            "\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+\\S+.*$");

    private PromQlSelectors() {
    }

    /** Grafana's variables replaced as the dashboard's "All" selection. */
    static String withVariables(String expr) {
        return expr.replace("$__rate_interval", "5m").replace("$__interval", "1m")
                .replaceAll("\\$\\{[a-zA-Z_]+\\}", ".*").replaceAll("\\$[a-zA-Z_]+", ".*");
    }

    /** The series selectors of {@code expr}; fails on a bare label set without a metric name. */
    static List<Selector> selectors(String expr) {
        String text = GROUPING.matcher(withVariables(expr)).replaceAll(" ");
        List<Selector> selectors = new ArrayList<>();
        Matcher token = TOKEN.matcher(text);
        while (token.find()) {
            String name = token.group(1);
            if (name == null) {
                if (token.group().startsWith("{")) {
                    throw new IllegalArgumentException("a selector without a metric name in " + expr);
                }
                continue; // a string or a range duration
            }
            if (token.group(3) != null && token.group(2) == null) {
                continue; // a function or aggregation call
            }
            if (KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            selectors.add(new Selector(name, matchers(token.group(2))));
        }
        return selectors;
    }

    private static List<Matcher4> matchers(String braces) {
        List<Matcher4> result = new ArrayList<>();
        if (braces == null) {
            return result;
        }
        String inner = braces.substring(1, braces.length() - 1);
        Matcher m = MATCHER.matcher(inner);
        int end = 0;
        while (m.lookingAt()) {
            result.add(new Matcher4(m.group(1), m.group(2), m.group(3).replace("\\\"", "\"").replace("\\\\", "\\")));
            end = m.end();
            m.region(end, inner.length());
        }
        if (!inner.substring(end).isBlank()) {
            throw new IllegalArgumentException("cannot read label matchers " + braces);
        }
        return result;
    }

    /** The samples of a Prometheus text scrape (comments skipped). */
    static List<Sample> samples(String scrape) {
        List<Sample> samples = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher label = MATCHER.matcher(m.group(3));
                while (label.lookingAt()) {
                    labels.put(label.group(1), label.group(3).replace("\\\"", "\"").replace("\\n", "\n")
                            .replace("\\\\", "\\"));
                    label.region(label.end(), m.group(3).length());
                }
            }
            samples.add(new Sample(m.group(1), labels));
        }
        return samples;
    }

    /** The selectors of {@code expr} that no sample matches (empty: every selector has data). */
    static List<Selector> unmatched(String expr, List<Sample> samples) {
        List<Selector> missing = new ArrayList<>();
        for (Selector selector : selectors(expr)) {
            if (samples.stream().noneMatch(selector::matches)) {
                missing.add(selector);
            }
        }
        return missing;
    }
}
