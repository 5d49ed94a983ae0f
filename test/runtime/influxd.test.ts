import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestInfluxd } from '../helpers/influxd.ts';

describe('managed influxd', () => {
  let influx: Awaited<ReturnType<typeof startTestInfluxd>>;
  beforeAll(async () => {
    influx = await startTestInfluxd();
  });
  afterAll(async () => {
    await influx?.cleanup();
  });

  it('answers queries, keeps data across a restart on the same port', async () => {
    await influx.query('CREATE DATABASE t');
    const w = await fetch(`${influx.url}/write?db=t&precision=ms`, {
      method: 'POST',
      body: 'seat,hall=h occupied=true 1764032400000',
    });
    expect(w.status).toBe(204);
    await influx.restart();
    const r = await influx.query('SELECT count(occupied) FROM seat', 't');
    expect(r.results[0]!.series![0]!.values[0]![1]).toBe(1);
  });
});
