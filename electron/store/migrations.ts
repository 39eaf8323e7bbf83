/**
 * Schema migrations, applied in order by `user_version`. Never edit a released migration: add one.
 *
 * Money, prices and quantities are TEXT holding canonical decimal strings (exact; SQLite's REAL would
 * round them). Never SUM() them in SQL: that returns a float. Model inputs (vols, rates) are REAL.
 * STRICT tables so a wrong type is an error, not a silent coercion.
 */
import type BetterSqlite3 from 'better-sqlite3'

export interface Migration {
  version: number
  name: string
  up: (db: BetterSqlite3.Database) => void
}

const VENUES = `'binance','bybit','okx','deribit','defi','other'`

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'book: accounts, collateral, positions, market, settings',
    up: (db) => {
      db.exec(`
        CREATE TABLE meta (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;

        CREATE TABLE accounts (
          id          TEXT PRIMARY KEY,
          ord         INTEGER NOT NULL,
          name        TEXT,
          venue       TEXT NOT NULL CHECK (venue IN (${VENUES})),
          margin_mode TEXT NOT NULL CHECK (margin_mode IN ('cross','isolated','portfolio')),
          is_demo     INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0,1)),
          extra       TEXT NOT NULL DEFAULT '{}',
          created_at  TEXT NOT NULL,
          updated_at  TEXT NOT NULL
        ) STRICT;

        CREATE TABLE collateral (
          account_id            TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
          ord                   INTEGER NOT NULL,
          asset                 TEXT NOT NULL,
          amount                TEXT NOT NULL,
          haircut               REAL,
          liquidation_threshold REAL,
          extra                 TEXT NOT NULL DEFAULT '{}',
          PRIMARY KEY (account_id, asset)
        ) STRICT;

        CREATE TABLE debts (
          account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
          ord        INTEGER NOT NULL,
          asset      TEXT NOT NULL,
          amount     TEXT NOT NULL,
          PRIMARY KEY (account_id, asset)
        ) STRICT;

        CREATE TABLE positions (
          id              TEXT PRIMARY KEY,
          ord             INTEGER NOT NULL,
          account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
          instrument      TEXT NOT NULL,            -- JSON of the instrument object
          kind            TEXT NOT NULL,            -- denormalised from instrument for queries
          underlying      TEXT NOT NULL,
          expiry          TEXT,
          quantity        TEXT NOT NULL,
          entry_price     TEXT NOT NULL,
          margin_mode     TEXT CHECK (margin_mode IN ('cross','isolated')),
          isolated_margin TEXT,
          leverage        REAL,
          margin_tiers    TEXT,                     -- JSON list, overrides the venue's table
          opened_at       TEXT,
          closed_at       TEXT,
          close_price     TEXT,
          note            TEXT,
          is_demo         INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0,1)),
          extra           TEXT NOT NULL DEFAULT '{}',
          created_at      TEXT NOT NULL,
          updated_at      TEXT NOT NULL
        ) STRICT;
        CREATE INDEX positions_account ON positions(account_id);
        CREATE INDEX positions_open_expiry ON positions(expiry) WHERE closed_at IS NULL AND expiry IS NOT NULL;

        -- What happened to each position: kept when a position is closed or deleted.
        CREATE TABLE position_events (
          id          INTEGER PRIMARY KEY,
          position_id TEXT NOT NULL,
          at          TEXT NOT NULL,
          kind        TEXT NOT NULL CHECK (kind IN ('opened','edited','closed','reopened','deleted')),
          snapshot    TEXT NOT NULL
        ) STRICT;
        CREATE INDEX position_events_position ON position_events(position_id, id);

        CREATE TABLE underlyings (
          symbol     TEXT PRIMARY KEY,
          ord        INTEGER NOT NULL,
          price      TEXT NOT NULL,
          vol        REAL,
          updated_at TEXT,
          is_demo    INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0,1)),
          extra      TEXT NOT NULL DEFAULT '{}'
        ) STRICT;

        CREATE TABLE price_history (
          underlying TEXT NOT NULL,
          day        TEXT NOT NULL,
          close      TEXT NOT NULL,
          source     TEXT NOT NULL DEFAULT 'document',
          PRIMARY KEY (underlying, day)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE instrument_marks (
          position_id            TEXT PRIMARY KEY,
          mark                   TEXT,
          iv                     REAL,
          forward                TEXT,
          funding_rate           REAL,
          funding_interval_hours REAL,
          updated_at             TEXT,
          extra                  TEXT NOT NULL DEFAULT '{}'
        ) STRICT;

        CREATE TABLE rates (currency TEXT PRIMARY KEY, rate REAL NOT NULL) STRICT;
        CREATE TABLE correlations (pair TEXT PRIMARY KEY, value REAL NOT NULL) STRICT;
        CREATE TABLE fx (currency TEXT PRIMARY KEY, usd_per_unit TEXT NOT NULL) STRICT;

        -- App and portfolio settings, one JSON value per key.
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
      `)
      db.prepare("INSERT INTO meta(key, value) VALUES ('revision', '0')").run()
    },
  },
  // --- ledger (issue 5: trade ledger and exchange CSV import) ---------------------------------------
  {
    version: 2,
    name: 'ledger: import batches, instruments, entries, derived positions, remembered column mappings',
    up: (db) => {
      // No foreign key to accounts or positions: the book's own writes (account delete, document replace)
      // must never fail because a ledger refers to them. A ledger whose account is gone is kept and comes
      // back when an account with that id does (ledger-repository.ts documents the rule).
      db.exec(`
        CREATE TABLE ledger_batches (
          id             INTEGER PRIMARY KEY,
          account_id     TEXT NOT NULL,
          file_name      TEXT NOT NULL,
          file_sha256    TEXT NOT NULL,
          file_bytes     INTEGER NOT NULL,
          format         TEXT NOT NULL,
          format_label   TEXT,
          mapping        TEXT,                 -- JSON of the generic column mapping, when one was used
          plan           TEXT NOT NULL DEFAULT '{}', -- how the file was read (encoding, delimiter, zone)
          rows_total     INTEGER NOT NULL,
          rows_rejected  INTEGER NOT NULL,
          inserted       INTEGER NOT NULL,
          duplicates     INTEGER NOT NULL,
          date_from      TEXT,
          date_to        TEXT,
          warnings       TEXT NOT NULL DEFAULT '[]',
          created_at     TEXT NOT NULL,
          undone_at      TEXT
        ) STRICT;
        CREATE INDEX ledger_batches_account ON ledger_batches(account_id);

        -- One row per distinct instrument seen in any import (venue + its instrument object).
        CREATE TABLE ledger_instruments (
          id          INTEGER PRIMARY KEY,
          key         TEXT NOT NULL UNIQUE,
          venue       TEXT NOT NULL,
          symbol      TEXT NOT NULL,
          kind        TEXT NOT NULL,
          underlying  TEXT NOT NULL,
          expiry      TEXT,
          instrument  TEXT NOT NULL           -- JSON of the portfolio instrument
        ) STRICT;

        -- Exact decimals as TEXT (canonical strings); never SUM() them in SQL.
        CREATE TABLE ledger_entries (
          id            INTEGER PRIMARY KEY,
          account_id    TEXT NOT NULL,
          batch_id      INTEGER NOT NULL REFERENCES ledger_batches(id),
          dedupe_key    TEXT NOT NULL,
          kind          TEXT NOT NULL CHECK (kind IN ('trade','funding','fee','transfer','settlement','realized_pnl')),
          time          TEXT NOT NULL,
          instrument_id INTEGER REFERENCES ledger_instruments(id),
          side          TEXT CHECK (side IN ('buy','sell')),
          quantity      TEXT,
          price         TEXT,
          fee           TEXT,
          fee_asset     TEXT,
          amount        TEXT,
          asset         TEXT,
          liquidity     TEXT,
          external_id   TEXT,
          order_id      TEXT,
          subtype       TEXT,
          format        TEXT NOT NULL,
          line          INTEGER NOT NULL,
          fingerprint   TEXT,                 -- the same fill or funding seen through another export of the venue
          UNIQUE (account_id, dedupe_key)
        ) STRICT;
        CREATE INDEX ledger_entries_batch ON ledger_entries(batch_id);
        CREATE INDEX ledger_entries_position ON ledger_entries(account_id, instrument_id, time, id);
        CREATE INDEX ledger_entries_fingerprint ON ledger_entries(account_id, fingerprint) WHERE fingerprint IS NOT NULL;

        -- Positions derived from the ledger, and how each is reconciled with the book.
        CREATE TABLE ledger_positions (
          account_id     TEXT NOT NULL,
          instrument_id  INTEGER NOT NULL REFERENCES ledger_instruments(id),
          quantity       TEXT NOT NULL,
          entry_price    TEXT,
          realized_pnl   TEXT NOT NULL DEFAULT '{}', -- JSON asset -> decimal string
          pnl_source     TEXT NOT NULL DEFAULT 'venue' CHECK (pnl_source IN ('venue','computed')),
          fees_paid      TEXT NOT NULL DEFAULT '{}',
          funding_paid   TEXT NOT NULL DEFAULT '{}',
          fills          INTEGER NOT NULL DEFAULT 0,
          opened_at      TEXT,
          last_at        TEXT,
          last_price     TEXT,
          status         TEXT NOT NULL CHECK (status IN ('linked','conflict','manual','flat','unpriced','no-account')),
          position_id    TEXT,
          conflict_with  TEXT,
          updated_at     TEXT NOT NULL,
          PRIMARY KEY (account_id, instrument_id)
        ) STRICT;

        -- Generic column mappings, remembered by the header they were made for.
        CREATE TABLE ledger_mappings (
          header_signature TEXT PRIMARY KEY,
          headers          TEXT NOT NULL,     -- JSON list, for display
          mapping          TEXT NOT NULL,     -- JSON of the generic mapping
          created_at       TEXT NOT NULL,
          updated_at       TEXT NOT NULL
        ) STRICT;
      `)
    },
  },
  // ---- issue 8: market data and history ----
  {
    version: 3,
    name: 'market data: risk snapshots over time',
    up: (db) => {
      db.exec(`
        -- What the book looked like at a moment: written when the book or its marks change (coalesced)
        -- and at least daily. Figures are the risk report's float64 model output, so REAL; USD unless
        -- the column says otherwise. NULL means the report had no such figure (no equity, no VaR yet).
        CREATE TABLE risk_snapshots (
          id                       INTEGER PRIMARY KEY,
          at                       TEXT NOT NULL,
          at_ms                    INTEGER NOT NULL,
          reason                   TEXT NOT NULL CHECK (reason IN ('change','daily','start','manual','demo')),
          revision                 INTEGER NOT NULL,
          equity                   REAL,
          gross_notional           REAL,
          leverage                 REAL,
          margin_ratio             REAL,
          worst_venue_margin_ratio REAL,
          net_delta_usd            REAL,
          var                      REAL,
          es                       REAL,
          var_method               TEXT,
          var_confidence           REAL,
          var_horizon_days         INTEGER,
          stale                    INTEGER NOT NULL DEFAULT 0 CHECK (stale IN (0,1)),
          venues                   TEXT NOT NULL DEFAULT '{}',  -- JSON {venue: {equity, marginRatio, leverage}}
          underlyings              TEXT NOT NULL DEFAULT '{}'   -- JSON {BTC: {delta, deltaUsd, gamma, vega, theta}}
        ) STRICT;
        CREATE INDEX risk_snapshots_at ON risk_snapshots(at_ms);
      `)
    },
  },
  // ---- issue 7: expiry reminders and risk alerts ----
  {
    version: 4,
    name: 'reminders and alerts: one row per expiry reminder, alert states, alert history',
    up: (db) => {
      db.exec(`
        -- One expiry reminder per (position, expiry, lead time). Times are UTC: *_ms columns are epoch
        -- milliseconds (for ordering and the scheduler), *_at columns ISO 8601 instants (for people).
        -- A reminder is delivered once; its state is the record that it was.
        CREATE TABLE reminders (
          id               INTEGER PRIMARY KEY,
          position_id      TEXT NOT NULL,
          expiry           TEXT NOT NULL,
          lead_time        TEXT NOT NULL,            -- ISO 8601 duration as written (P1D)
          lead_seconds     INTEGER NOT NULL,
          custom           INTEGER NOT NULL DEFAULT 0 CHECK (custom IN (0,1)),  -- from the position's own lead times
          due_ms           INTEGER NOT NULL,         -- expiry − lead
          state            TEXT NOT NULL CHECK (state IN ('pending','delivered','snoozed','acknowledged','dropped','skipped')),
          missed           INTEGER NOT NULL DEFAULT 0 CHECK (missed IN (0,1)),
          snoozed_until_ms INTEGER,
          deliveries       INTEGER NOT NULL DEFAULT 0,
          delivered_at     TEXT,
          acknowledged_at  TEXT,
          seen_at          TEXT,                     -- when a window first showed it (toast)
          dropped_reason   TEXT,
          title            TEXT,
          body             TEXT,
          created_ms       INTEGER NOT NULL,
          updated_at       TEXT NOT NULL,
          UNIQUE (position_id, expiry, lead_seconds)
        ) STRICT;
        CREATE INDEX reminders_pending_due ON reminders(due_ms) WHERE state = 'pending';
        CREATE INDEX reminders_snoozed_due ON reminders(snoozed_until_ms) WHERE state = 'snoozed';
        CREATE INDEX reminders_position ON reminders(position_id);

        -- Whether each (rule, subject) is in alarm now: survives restarts, so an alert never repeats.
        CREATE TABLE alert_state (
          rule_id    TEXT NOT NULL,
          subject    TEXT NOT NULL,                  -- 'total', 'venue:binance', 'account:bn-main'
          firing     INTEGER NOT NULL CHECK (firing IN (0,1)),
          value      REAL,
          since      TEXT NOT NULL,
          event_id   INTEGER,                        -- the 'triggered' event of the current alarm
          PRIMARY KEY (rule_id, subject)
        ) STRICT, WITHOUT ROWID;

        -- Alert history: every crossing; 'triggered' ones are notifications, 'cleared' ones history only.
        CREATE TABLE alert_events (
          id               INTEGER PRIMARY KEY,
          rule_id          TEXT NOT NULL,
          subject          TEXT NOT NULL,
          metric           TEXT NOT NULL,
          kind             TEXT NOT NULL CHECK (kind IN ('triggered','cleared')),
          value            REAL,                     -- NULL: beyond measure (equity gone)
          threshold        REAL NOT NULL,
          direction        TEXT NOT NULL CHECK (direction IN ('above','below')),
          at               TEXT NOT NULL,
          at_ms            INTEGER NOT NULL,
          title            TEXT NOT NULL,
          body             TEXT NOT NULL,
          route            TEXT NOT NULL,
          severity         TEXT NOT NULL CHECK (severity IN ('info','warning','danger')),
          state            TEXT NOT NULL CHECK (state IN ('delivered','snoozed','acknowledged','history')),
          snoozed_until_ms INTEGER,
          deliveries       INTEGER NOT NULL DEFAULT 0,
          delivered_at     TEXT,
          acknowledged_at  TEXT,
          seen_at          TEXT,
          cleared_at       TEXT
        ) STRICT;
        CREATE INDEX alert_events_snoozed_due ON alert_events(snoozed_until_ms) WHERE state = 'snoozed';
        CREATE INDEX alert_events_rule_subject ON alert_events(rule_id, subject, id);
      `)
    },
  },
  {
    // Risk analytics (issue 4): hedges the trader decided to place ("apply for real"). Recorded, not
    // traded. Quantities and prices are canonical decimal TEXT; costs are model figures (REAL).
    version: 5,
    name: 'analytics: planned hedges',
    up: (db) => {
      db.exec(`
        CREATE TABLE planned_hedges (
          id             TEXT PRIMARY KEY,
          created_at     TEXT NOT NULL,
          updated_at     TEXT NOT NULL,
          status         TEXT NOT NULL CHECK (status IN ('planned','done','cancelled')),
          candidate_id   TEXT NOT NULL,
          underlying     TEXT NOT NULL,
          account_id     TEXT NOT NULL,
          venue          TEXT NOT NULL CHECK (venue IN (${VENUES})),
          instrument     TEXT NOT NULL,            -- JSON of the instrument object
          quantity       TEXT NOT NULL,
          price          TEXT NOT NULL,
          daily_cost     REAL NOT NULL,
          margin_used    REAL NOT NULL,
          reason         TEXT NOT NULL,
          note           TEXT,
          book_revision  INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX planned_hedges_status ON planned_hedges(status, created_at);
      `)
    },
  },
  {
    // Appending a row takes max(ord) + 1: without an index that is a scan per insert, quadratic for a
    // large import (10,000 positions). These make it a lookup.
    version: 6,
    name: 'book: index the display order',
    up: (db) => {
      db.exec(`
        CREATE INDEX accounts_ord ON accounts(ord);
        CREATE INDEX positions_ord ON positions(ord);
        CREATE INDEX underlyings_ord ON underlyings(ord);
      `)
    },
  },
]

export const LATEST_SCHEMA_VERSION = migrations.reduce((max, m) => Math.max(max, m.version), 0)
