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
 *   - rollups (rollup-levels.ts) are folded from each block as it is sealed, and retention
 *     deletes whole time blocks (value blocks follow by ON DELETE CASCADE).
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
  {
    version: 3,
    name: 'alarms, maintenance events, users and the audit trail',
    sql: `
      -- One row per configured alarm: its lifecycle (src/main/alarms/lifecycle.ts) as of the
      -- last change, so a restart resumes where the operators left it. Asset ids are kept as
      -- text: an alarm's history outlives its asset leaving the configuration.
      CREATE TABLE alarms (
        id TEXT PRIMARY KEY,
        asset TEXT NOT NULL,
        tag TEXT,
        kind TEXT NOT NULL,
        priority TEXT NOT NULL,
        state TEXT NOT NULL,
        active INTEGER NOT NULL,
        acked INTEGER NOT NULL,
        suppressed INTEGER NOT NULL,
        shelved_by TEXT,
        shelve_reason TEXT,
        shelved_until REAL,
        oos_by TEXT,
        oos_reason TEXT,
        message TEXT NOT NULL,
        active_since REAL,
        changed_at REAL NOT NULL,
        value REAL,
        first_out INTEGER NOT NULL,
        ack_by TEXT,
        ack_at REAL,
        ack_note TEXT
      ) WITHOUT ROWID;
      -- Every transition and operator action (ack, shelve, comment, feedback), in order.
      CREATE TABLE alarm_journal (
        id INTEGER PRIMARY KEY,
        t REAL NOT NULL,
        alarm_id TEXT NOT NULL,
        asset TEXT,
        action TEXT NOT NULL,
        actor TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT,
        note TEXT,
        value REAL
      );
      CREATE INDEX alarm_journal_by_t ON alarm_journal (t);
      CREATE INDEX alarm_journal_by_alarm_t ON alarm_journal (alarm_id, t);
      CREATE TRIGGER alarm_journal_no_update BEFORE UPDATE ON alarm_journal
        BEGIN SELECT RAISE(ABORT, 'the alarm journal is append-only'); END;
      CREATE TRIGGER alarm_journal_no_delete BEFORE DELETE ON alarm_journal
        BEGIN SELECT RAISE(ABORT, 'the alarm journal is append-only'); END;
      CREATE TABLE maintenance_events (
        id INTEGER PRIMARY KEY,
        opened_at REAL NOT NULL,
        asset TEXT NOT NULL,
        tag TEXT NOT NULL,
        cause TEXT NOT NULL,
        severity TEXT NOT NULL,
        message TEXT NOT NULL,
        value REAL,
        score REAL,
        cost REAL NOT NULL,
        currency TEXT NOT NULL,
        status TEXT NOT NULL,
        resolved_at REAL,
        resolved_by TEXT,
        notes TEXT
      );
      CREATE INDEX maintenance_by_opened ON maintenance_events (opened_at);
      -- At most one open event per cause, held by the file as well as by the code.
      CREATE UNIQUE INDEX maintenance_open_cause ON maintenance_events (cause) WHERE status = 'open';
      CREATE TABLE users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        salt TEXT NOT NULL,
        hash TEXT NOT NULL,
        params TEXT NOT NULL,
        created_at REAL NOT NULL,
        disabled INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        t REAL NOT NULL,
        actor TEXT NOT NULL,
        role TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        outcome TEXT NOT NULL,
        detail TEXT
      );
      CREATE INDEX audit_by_t ON audit_log (t);
      -- Append-only: no code path may edit or delete what was audited.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    `,
  },
  {
    version: 4,
    name: 'rollups and retention',
    sql: `
      -- rolled: interval (ms) of the finest rollup level holding this block's samples (every
      -- coarser level holds them too); NULL while the block is in no rollup (rollup-writer.ts).
      ALTER TABLE time_blocks ADD COLUMN rolled INTEGER;
      CREATE INDEX time_blocks_unrolled ON time_blocks (id) WHERE sealed = 1 AND rolled IS NULL;
      -- Covers what range queries filter blocks on, so they count and pick blocks over years
      -- of them without visiting the rows; it serves every lookup the (asset_id, t0) one did.
      CREATE INDEX time_blocks_span ON time_blocks (asset_id, t0, t1, n, sealed, rolled);
      DROP INDEX time_blocks_by_asset_t0;
      -- Retention has dropped this asset's raw samples (and finer rollups) before this time.
      ALTER TABLE assets ADD COLUMN raw_horizon REAL;
      -- One row per tag, level (interval, ms) and ROW_INTERVALS intervals starting at t0;
      -- it holds intervals [i0, i0 + n) of them, packed as rollup-codec.ts describes: mm is what
      -- range queries read, agg (sums and counts) what means and merges need.
      CREATE TABLE rollups (
        id INTEGER PRIMARY KEY,
        tag_id INTEGER NOT NULL REFERENCES tags(id),
        level INTEGER NOT NULL,
        t0 REAL NOT NULL,
        i0 INTEGER NOT NULL,
        n INTEGER NOT NULL,
        mm BLOB NOT NULL,
        agg BLOB NOT NULL,
        UNIQUE (tag_id, level, t0)
      );
    `,
  },
  {
    version: 5,
    name: 'imported datasets',
    sql: `
      -- One row per committed import, inserted in the transaction that hands the staged
      -- blocks to the asset (import-stage.ts), so a row exists exactly when its samples do.
      -- The asset id is kept as text, like the alarms': the record outlives configuration changes.
      CREATE TABLE imported_datasets (
        id INTEGER PRIMARY KEY,
        job TEXT NOT NULL,
        asset TEXT NOT NULL,
        file TEXT NOT NULL,
        size INTEGER NOT NULL,
        rows INTEGER NOT NULL,
        rejected INTEGER NOT NULL,
        first_t REAL,
        last_t REAL,
        mapping TEXT NOT NULL,
        report_path TEXT,
        started_at REAL NOT NULL,
        finished_at REAL NOT NULL,
        status TEXT NOT NULL
      );
      CREATE INDEX imported_datasets_by_asset ON imported_datasets (asset, finished_at);
    `,
  },
  {
    version: 6,
    name: 'account lockout and accepted model thresholds',
    sql: `
      -- Consecutive failed sign-ins and when the account locked (alarms/accounts.ts): kept in
      -- the file so a restart does not unlock an account someone was guessing at.
      ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE users ADD COLUMN locked_at REAL;
      -- A model threshold an engineer accepted for one asset (alarms/threshold-proposal.ts),
      -- in place of the card's; the rule and the verdicts it came from are in the audit trail.
      CREATE TABLE model_thresholds (
        asset TEXT NOT NULL,
        model TEXT NOT NULL,
        threshold REAL NOT NULL,
        card_threshold REAL NOT NULL,
        accepted_by TEXT NOT NULL,
        accepted_at REAL NOT NULL,
        PRIMARY KEY (asset, model)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 7,
    name: 'predictions of every model kind',
    sql: `
      -- kind: the card's kind for predictors (rul, defect, policy); NULL for window detectors,
      -- whose rows are the score log they always were.
      ALTER TABLE models ADD COLUMN kind TEXT;
      -- A predictor's outputs beside its main value (score): the life's spread, the defect
      -- ensemble's members and confidence and the unit, a policy's setpoints, as JSON. NULL for
      -- detector windows, which keep contributions and sensor states in their blobs.
      ALTER TABLE prediction_logs ADD COLUMN outputs TEXT;
    `,
  },
]

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version
