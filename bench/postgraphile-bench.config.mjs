// PostGraphile in the bench: the amber preset over the bench's database, keeping as many
// pooled connections as Mosaic does (bench.py passes the same number to both), so neither
// server waits on a pool the other does not have.
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

export default {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.BENCH_DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: Number(process.env.BENCH_POOL_SIZE) },
    }),
  ],
};
