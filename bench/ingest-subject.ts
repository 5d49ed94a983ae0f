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
  const pre = mqtt.connect(mqttUrl, {
    clientId: 'hallwatch-ingest-bench',
    clean: false,
    reconnectPeriod: 0,
    protocolVersion: 4,
    manualConnect: true,
  });
  // Never acknowledge here, but keep reading (a held callback would stall the SUBACK behind the
  // queued messages): what arrives now stays unacknowledged and goes to the ingest's connection.
  pre.handleMessage = (_packet, callback) => callback(new Error('left for the ingest'));
  const connack = await new Promise<{ sessionPresent: boolean }>((resolve, reject) => {
    pre.once('connect', resolve);
    pre.once('error', reject);
    pre.connect();
  });
  if (!connack.sessionPresent) await pre.subscribeAsync('hall/+/counter/+/seat/+', { qos: 1 });
  pre.end(true);
}
await import('./ingest-subject-run.ts');
