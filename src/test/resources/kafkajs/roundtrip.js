// KafkaJS (a pure-JavaScript Kafka client) against Hearth: admin creates a topic, an idempotent producer sends
// gzip-compressed keyed records with headers (acks=all), and a consumer group reads them all back and commits.
// Prints one JSON line with what it saw; exits non-zero on any error.
//   node roundtrip.js <broker> <topic> <group> <count>
const { Kafka, logLevel, CompressionTypes } = require('kafkajs');

const [broker, topic, group, countText] = process.argv.slice(2);
const count = Number.parseInt(countText, 10);
const kafka = new Kafka({ clientId: 'hearth-kafkajs-test', brokers: [broker], logLevel: logLevel.WARN });

async function main() {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  await admin.disconnect();

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const messages = [];
  for (let i = 0; i < count; i++) {
    messages.push({ key: `k${i % 7}`, value: `v${i}`, headers: { n: String(i) } });
  }
  await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: group });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = [];
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out with ${seen.length} of ${count} records`)), 60000);
    consumer.run({
      eachMessage: async ({ partition, message }) => {
        seen.push({ partition, offset: Number(message.offset), key: message.key.toString(),
          value: message.value.toString(), n: message.headers.n.toString() });
        if (seen.length === count) {
          clearTimeout(timer);
          resolve();
        }
      },
    }).catch(reject);
  });
  await consumer.disconnect(); // commits the offsets of what was processed
  console.log(JSON.stringify({ partitions: metadata.topics[0].partitions.length, seen }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
