// The peer benchmark's HallWatch subject (bench/ingest.ts names it in BENCH_SUBJECTS).
// usage: node --import tsx bench/ingest-subject.ts <mqttUrl> <influxUrl> <db> <dataDir>
//
// The bench starts a fresh broker and subject per run and may start publishing about a second
// later. A production ingest is long-running: its persistent session already exists at the
// broker and holds what arrives while it restarts. So this entry first opens that session
// (same client id, clean: false, the ingest's subscriptions, nothing acknowledged) using only
// mqtt.js, then loads the rest of the ingest (bench/ingest-subject-run.ts), which takes the
// session over. Must stay ONE node process, so that the bench's SIGKILL hits the ingest itself.
import mqtt from 'mqtt';

const [mqttUrl, influxUrl, db, dataDir] = process.argv.slice(2);
if (!mqttUrl || !influxUrl || !db || !dataDir) {
  console.error('usage: ingest-subject.ts <mqttUrl> <influxUrl> <db> <dataDir>');
  process.exit(2);
}
if (!mqttUrl.startsWith('embedded:')) {
  const pre = await mqtt.connectAsync(mqttUrl, {
    clientId: 'hallwatch-ingest-bench',
    clean: false,
    reconnectPeriod: 0,
    protocolVersion: 4,
  });
  // Never acknowledge here: what arrives now is redelivered to the ingest's connection.
  pre.handleMessage = () => {};
  await pre.subscribeAsync('hall/+/counter/+/seat/+', { qos: 1 });
  pre.end(true);
}
await import('./ingest-subject-run.ts');
