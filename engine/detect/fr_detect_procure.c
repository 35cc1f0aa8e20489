/* fr_detect_procure.c - the catalogue section of DETECTORS.md P12-P14 (over the
 * canonical `tenders` and `bids`) and W1-W3 (over `subsidies`, with `entities`,
 * `relations`, `posts`): ids, names, concerns, parameters with their defaults,
 * and the kernels (fr_detect_ptender.c, fr_detect_welfare.c).  The cardinal-rs
 * indicators P1-P11 are not detectors of this catalogue: `ferret detect STORE
 * cardinal` runs them over the OCDS tables (fr_cardinal.c).
 * Invariant: every table and column a kernel reads is a parameter, so real
 * exports map onto the rules with --set alone.
 */
#include "fr_detect_pw.h"

/* Parameter initialisers (the F section's, fr_detect_catalog.c, are private to it). */
#define PW_TABLE(name, help) {name, FR_PARAM_TABLE, name, 0, 0, NULL, help}
#define PW_COL(name, col, table, help) {name, FR_PARAM_COLUMN, col, 0, 0, table, help}
#define PW_INT(name, def, lo, hi, help) {name, FR_PARAM_INT, def, lo, hi, NULL, help}
#define PW_DEC(name, def, help) {name, FR_PARAM_DECIMAL, def, 0, 0, NULL, help}
#define PW_RATIO(name, def, help) {name, FR_PARAM_RATIO, def, 0, 0, NULL, help}
#define PW_WORDS(name, def, help) {name, FR_PARAM_WORDS, def, 0, 0, NULL, help}

#define TND(col, help) PW_COL(col, col, "tenders", help)
#define BID(col, help) PW_COL("bids." col, col, "bids", help)
#define SUB(col, help) PW_COL(col, col, "subsidies", help)
#define ENT(col, help) PW_COL("entities." col, col, "entities", help)
#define REL(col, help) PW_COL("relations." col, col, "relations", help)
#define PST(col, help) PW_COL("posts." col, col, "posts", help)

#define TND_TABLE PW_TABLE("tenders", "the tenders table")
#define TND_KEY TND("tender_id", "evidence key column")
#define TND_ORG TND("org", "buying organisation column")
#define BID_TABLE PW_TABLE("bids", "the bids table")
#define BID_TENDER BID("tender_id", "the bid's tender column")
#define BID_BIDDER BID("bidder", "bidder column")
#define BID_WON BID("won", "winning-bid flag column (true / false)")
#define SUB_TABLE PW_TABLE("subsidies", "the subsidies table")
#define SUB_KEY SUB("payout_id", "evidence key column")
#define SUB_TS SUB("ts", "payout timestamp column")
#define SUB_ORG SUB("org", "paying organisation column")
#define SUB_BEN SUB("beneficiary", "beneficiary column (an entities id)")

static const fr_param_spec p12_params[] = {
    TND_TABLE, TND_KEY, TND_ORG, TND("published", "publication timestamp column (first/last ts)"),
    BID_TABLE, BID_TENDER, BID_BIDDER,
    PW_TABLE("entities", "the entities table"),
    ENT("id", "entity id column"),
    ENT("phone", "phone column"),
    ENT("address", "address column"),
    ENT("bank_account", "bank account column"),
    PW_TABLE("relations", "the relations table"),
    REL("a", "first party column"),
    REL("b", "second party column"),
};
static const fr_param_spec p13_params[] = {
    PW_DEC("threshold", "1000000.00", "the open-tender threshold"),
    PW_INT("window_days", "90", 0, 36500, "window length, days"),
    PW_WORDS("methods", "single_source,negotiated", "procurement methods that are direct awards (empty: all)"),
    TND_TABLE, TND_KEY, TND_ORG,
    TND("method", "procurement method column"),
    TND("awarded", "award timestamp column"),
    BID_TABLE, BID_TENDER, BID_BIDDER,
    BID("amount", "bid amount column, decimal(18,2)"),
    BID_WON,
};
static const fr_param_spec p14_params[] = {
    PW_INT("min_tenders", "10", 1, 1000000000, "awarded tenders an (org, category) needs"),
    PW_RATIO("share", "0.5", "share of them one firm must win"),
    TND_TABLE, TND_KEY, TND_ORG,
    TND("category", "category column"),
    TND("awarded", "award timestamp column"),
    BID_TABLE, BID_TENDER, BID_BIDDER, BID_WON,
};
static const fr_param_spec w1_params[] = {
    PW_WORDS("period", "month", "month or year"),
    SUB_TABLE, SUB_KEY, SUB_TS, SUB_ORG,
    SUB("program", "programme column"),
    SUB_BEN,
    PW_TABLE("entities", "the entities table"),
    ENT("id", "entity id column"),
    ENT("id_no", "identity number column"),
};
static const fr_param_spec w2_params[] = {
    SUB_TABLE, SUB_KEY, SUB_TS, SUB_ORG, SUB_BEN,
    PW_TABLE("entities", "the entities table"),
    ENT("id", "entity id column"),
    ENT("deceased", "date of death column"),
};
static const fr_param_spec w3_params[] = {
    SUB_TABLE, SUB_KEY, SUB_TS, SUB_ORG, SUB_BEN,
    PW_TABLE("relations", "the relations table"),
    REL("a", "first party column"),
    REL("b", "second party column"),
    REL("kind", "relation kind column"),
    REL("since", "first valid date column"),
    REL("until", "last valid date column"),
    PW_TABLE("posts", "the posts table"),
    PST("org", "organisation column"),
    PST("post", "post column"),
    PST("official", "official column"),
    PST("start_date", "first day in post column"),
    PST("end_date", "last day in post column"),
};

#define PW_N(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))
#define PW_DET(id, name, concern, table, key, params) {id, name, concern, table, key, params, PW_N(params)}

static const fr_detector_info fr_pw_infos[] = {
    PW_DET("P12", "shared_contacts",
           "bidders in one tender sharing phone, address, bank account or a relation (围标串标)", "tenders",
           "tender_id", p12_params),
    PW_DET("P13", "split_direct_awards",
           "direct awards to one buyer-supplier pair that together exceed the open-tender threshold", "tenders",
           "tender_id", p13_params),
    PW_DET("P14", "winner_concentration", "one firm winning an org's category again and again", "tenders",
           "tender_id", p14_params),
    PW_DET("W1", "duplicate_beneficiary", "one person paid twice by a programme in a period", "subsidies",
           "payout_id", w1_params),
    PW_DET("W2", "deceased_beneficiary", "payouts after death", "subsidies", "payout_id", w2_params),
    PW_DET("W3", "official_relative", "relatives of the paying org's officials (优亲厚友)", "subsidies",
           "payout_id", w3_params),
};

static const fr_detect_fn fr_pw_kernels[] = {
    fr_detect_p12, fr_detect_p13, fr_detect_p14, fr_detect_w1, fr_detect_w2, fr_detect_w3,
};

_Static_assert(sizeof fr_pw_infos / sizeof fr_pw_infos[0] == sizeof fr_pw_kernels / sizeof fr_pw_kernels[0],
               "one kernel per detector");

const fr_catalog_section fr_catalog_procurement = {fr_pw_infos, fr_pw_kernels, PW_N(fr_pw_infos)};
