package dev.hearth.engine.internal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A topic's durable definition, {@code topic.properties} in the topic's directory:
 *
 * <pre>
 * topic.id=&lt;Kafka Uuid, base64&gt;
 * partitions=&lt;count&gt;
 * config.&lt;kafka topic config key&gt;=&lt;override value&gt;   (only keys set explicitly)
 * </pre>
 *
 * Written with {@link AtomicFiles}, so a crash leaves the previous or the new definition. Only overrides are
 * stored: engine-wide defaults apply to every other key, as in Kafka.
 */
record TopicMetadataFile(String topicId, int partitions, Map<String, String> configOverrides) {

    static final String FILE_NAME = "topic.properties";
    private static final String CONFIG_PREFIX = "config.";

    static TopicMetadataFile read(Path topicDir) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(topicDir.resolve(FILE_NAME), StandardCharsets.UTF_8)));
        String topicId = properties.getProperty("topic.id");
        String partitions = properties.getProperty("partitions");
        if (topicId == null || partitions == null) {
            throw new IOException(topicDir.resolve(FILE_NAME) + " lacks topic.id or partitions");
        }
        Map<String, String> overrides = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(CONFIG_PREFIX)) {
                overrides.put(key.substring(CONFIG_PREFIX.length()), properties.getProperty(key));
            }
        }
        return new TopicMetadataFile(topicId, Integer.parseInt(partitions), overrides);
    }

    void write(Path topicDir) throws IOException {
        StringBuilder text = new StringBuilder("# Hearth topic definition; written atomically, do not edit while running\n");
        text.append("topic.id=").append(topicId).append('\n');
        text.append("partitions=").append(partitions).append('\n');
        new TreeMap<>(configOverrides).forEach((key, value) ->
                text.append(CONFIG_PREFIX).append(key).append('=').append(value).append('\n'));
        AtomicFiles.write(topicDir.resolve(FILE_NAME), text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
