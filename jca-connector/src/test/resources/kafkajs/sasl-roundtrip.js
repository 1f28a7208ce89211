// KafkaJS (a pure-JavaScript Kafka client) with SASL over TLS: a producer sends records and a consumer group reads
// them back, both authenticated with the given mechanism. A wrong password must fail with an authentication error.
// Prints one JSON line; exits non-zero on any unexpected error.
//   node sasl-roundtrip.js <broker> <ca.pem> <mechanism> <user> <password> <topic> <count>
const fs = require('fs');
const { Kafka, logLevel } = require('kafkajs');

const [broker, caFile, mechanism, username, password, topic, countText] = process.argv.slice(2);
const count = Number.parseInt(countText, 10);
const ssl = { ca: [fs.readFileSync(caFile, 'utf-8')], servername: 'localhost' };
const client = (secret) => new Kafka({ clientId: 'hearth-kafkajs-sasl', brokers: [broker], logLevel: logLevel.NOTHING,
  ssl, sasl: { mechanism, username, password: secret }, retry: { retries: 0 } });

async function main() {
  let refused = null;
  const wrong = client(`${password}-wrong`).producer();
  try {
    await wrong.connect();
  } catch (error) {
    refused = error.type || error.name;
  }

  const kafka = client(password);
  const producer = kafka.producer();
  await producer.connect();
  const messages = [];
  for (let i = 0; i < count; i++) {
    messages.push({ key: `k${i}`, value: `v${i}` });
  }
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `${topic}-group` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = [];
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out with ${seen.length} of ${count} records`)), 30000);
    consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.value.toString());
        if (seen.length === count) {
          clearTimeout(timer);
          resolve();
        }
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  console.log(JSON.stringify({ refused, seen }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
