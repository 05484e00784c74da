/*
 * The history file's schema, as an ordered list of migrations (migrations.ts applies them).
 * A released migration is never edited: a change to the schema is a new entry at the end.
 *
 * Samples are stored in blocks, not one row per value. Measured on the 2-core build machine:
 * a narrow (tag, ts, value) WITHOUT ROWID table inserts ~65k rows/s at ~25 bytes per value;
 * wide rows (time + one column per tag) ~375k rows/s; these blocks take 0.4-1.2M samples/s
 * of 10 tags (4-12M values/s, depending on the load beside it) at 8.1 bytes per value
 * (measure.ts), because SQLite's cost is per row and per b-tree key, and a block pays it
 * once per few thousand samples instead of once per value.
 *
 * Layout: a `time_blocks` row holds one asset's timestamps for up to BLOCK_SAMPLES samples
 * (a SampleBatch has one time column for all of an asset's tags, so the times are stored
 * once, and not at all when they are evenly spaced: `dt` then rebuilds them). Beside it, one
 * `value_blocks` row per tag holds that tag's Float64 values and Uint8 quality as BLOBs
 * (quality NULL when all good) with min/max/sum/count, so:
 *   - a query for 2 of 10 tags reads 2 value blobs, not 10;
 *   - a decimated query takes a block lying inside one bucket from its min/max without
 *     reading its blobs, which is what keeps long ranges cheap;
 *   - rollups (per second/minute/hour) can later be built from the same per-block sums, and
 *     retention deletes whole time blocks (value blocks follow by ON DELETE CASCADE).
 * A block never spans more than BLOCK_SPAN_MS, so a range query finds every block that
 * overlaps [from, to) with an index range on t0 in [from - BLOCK_SPAN_MS, to).
 * Live data arrives a few samples per commit; the writer keeps an asset's open block (its
 * tail) in memory, commits what is new as small unsealed blocks and, once the tail is full,
 * replaces them by one sealed block in the same transaction (block-writer.ts).
 * Values are stored in the machine's byte order (little-endian on every target).
 */

/** Samples per sealed block: 4096 doubles (32 KiB) per tag blob. */
export const BLOCK_SAMPLES = 4096
/** Longest time one block may cover. Range queries rely on it: changing it needs a migration. */
export const BLOCK_SPAN_MS = 3_600_000

export interface Migration {
  version: number
  name: string
  sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'assets, tags and sample blocks',
    sql: `
      CREATE TABLE assets (
        id INTEGER PRIMARY KEY,
        asset TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        class TEXT NOT NULL
      );
      -- position: index in the asset's configured tag order; NULL once a tag leaves the
      -- configuration (its history stays readable).
      CREATE TABLE tags (
        id INTEGER PRIMARY KEY,
        asset_id INTEGER NOT NULL REFERENCES assets(id),
        tag TEXT NOT NULL,
        unit TEXT NOT NULL,
        position INTEGER,
        UNIQUE (asset_id, tag)
      );
      CREATE TABLE time_blocks (
        id INTEGER PRIMARY KEY,
        asset_id INTEGER NOT NULL REFERENCES assets(id),
        t0 REAL NOT NULL,
        t1 REAL NOT NULL,
        n INTEGER NOT NULL,
        dt REAL,
        t BLOB,
        sealed INTEGER NOT NULL
      );
      CREATE INDEX time_blocks_by_asset_t0 ON time_blocks (asset_id, t0);
      CREATE INDEX time_blocks_open ON time_blocks (asset_id) WHERE sealed = 0;
      CREATE TABLE value_blocks (
        block_id INTEGER NOT NULL REFERENCES time_blocks(id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES tags(id),
        nvalid INTEGER NOT NULL,
        vmin REAL,
        vmax REAL,
        vsum REAL,
        qor INTEGER NOT NULL,
        v BLOB NOT NULL,
        q BLOB,
        PRIMARY KEY (block_id, tag_id)
      );
    `,
  },
  {
    version: 2,
    name: 'model outputs and events',
    sql: `
      -- One row per (asset, model, version): prediction rows refer to it instead of
      -- repeating two strings and the tag list on every window.
      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        asset_id INTEGER NOT NULL REFERENCES assets(id),
        model TEXT NOT NULL,
        version TEXT NOT NULL,
        tags TEXT NOT NULL,
        UNIQUE (asset_id, model, version)
      );
      -- contrib: Float64 per tag of the model; sensor_state: Uint8 per tag.
      CREATE TABLE prediction_logs (
        id INTEGER PRIMARY KEY,
        model_ref INTEGER NOT NULL REFERENCES models(id),
        t REAL NOT NULL,
        score REAL,
        threshold REAL,
        anomaly INTEGER NOT NULL,
        contrib BLOB,
        sensor_state BLOB,
        latency_ms REAL
      );
      CREATE INDEX prediction_logs_by_model_t ON prediction_logs (model_ref, t);
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        t REAL NOT NULL,
        asset_id INTEGER REFERENCES assets(id),
        kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        message TEXT NOT NULL,
        data TEXT
      );
      CREATE INDEX events_by_t ON events (t);
      CREATE INDEX events_by_asset_t ON events (asset_id, t);
    `,
  },
]

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version
