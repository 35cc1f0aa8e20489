/* fr_scan_report.c - the scan's output files: findings.json (one object per
 * line, DESIGN.md "Findings" plus rule, severity, owner, status, first_seen,
 * last_seen), findings.csv (the same, one row each) and report.html: one
 * self-contained page (inline CSS and SVG, no script, no network) with the
 * counts, a summary per rule, detector and org, charts, and every finding as a
 * <details> element that opens onto its evidence rows.
 * Invariant: the three files list the same findings (new and still open) in the
 * same order.  Workload: up to some thousands of findings; the page is linear in
 * findings x rows kept per finding.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fr_alloc.h"
#include "fr_scan_internal.h"
#include "fr_store.h"
#include "fr_writer.h"

static void fr_put(fr_buf *b, const char *s) { fr_buf_put(b, s, strlen(s)); }

static void fr_putf(fr_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fr_putf(fr_buf *b, const char *fmt, ...) {
  char tmp[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  if ((size_t)n < sizeof tmp) {
    fr_buf_put(b, tmp, (size_t)n);
    return;
  }
  char *big = fr_malloc((size_t)n + 1);
  if (big == NULL) {
    b->failed = 1;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  fr_buf_put(b, big, (size_t)n);
  fr_free(big);
}

/* HTML text with <, >, &, " escaped. */
static void fr_html(fr_buf *b, const char *s) {
  if (s == NULL)
    return;
  const char *run = s;
  for (; *s; s++) {
    const char *rep = NULL;
    switch (*s) {
    case '<': rep = "&lt;"; break;
    case '>': rep = "&gt;"; break;
    case '&': rep = "&amp;"; break;
    case '"': rep = "&quot;"; break;
    default: continue;
    }
    fr_buf_put(b, run, (size_t)(s - run));
    fr_put(b, rep);
    run = s + 1;
  }
  fr_buf_put(b, run, (size_t)(s - run));
}

static const char *fr_ts_text(char *buf, int has, int64_t ts) {
  if (!has)
    return "";
  buf[fr_format_timestamp(buf, ts)] = '\0';
  return buf;
}

/* ---- order of the reported findings --------------------------------------------- */

static int fr_report_order(const void *a, const void *b, void *ctx) {
  const fr_fstore *fs = ctx;
  const fr_sfinding *x = &fs->items[*(const uint32_t *)a];
  const fr_sfinding *y = &fs->items[*(const uint32_t *)b];
  if (x->is_new != y->is_new) return y->is_new - x->is_new;
  if (x->severity != y->severity) return y->severity - x->severity;
  if (x->score != y->score) return x->score > y->score ? -1 : 1;
  return strcmp(x->id, y->id);
}

/* ---- findings.json / findings.csv ------------------------------------------------- */

static void fr_csv(fr_buf *b, const char *s) {
  if (s != NULL) fr_write_csv_field(b, s, strlen(s), 0);
}

static void fr_render_csv(fr_buf *b, const fr_fstore *fs, const uint32_t *order, uint32_t n) {
  fr_put(b, "status,rule,detector,severity,owner,id,score,subject,org,summary,first_ts,last_ts,evidence_table,"
            "evidence_key,n_evidence,evidence,first_seen,last_seen,supersedes\n");
  fr_buf keys;
  fr_buf_init(&keys);
  char t1[FR_VALUE_TEXT_CAP + 1], t2[FR_VALUE_TEXT_CAP + 1], num[64];
  for (uint32_t k = 0; k < n; k++) {
    const fr_sfinding *f = &fs->items[order[k]];
    fr_put(b, f->is_new ? "new," : "open,");
    fr_csv(b, f->rule);
    fr_put(b, ",");
    fr_csv(b, f->detector);
    fr_put(b, ",");
    fr_put(b, fr_severity_name(f->severity));
    fr_put(b, ",");
    fr_csv(b, f->owner);
    fr_put(b, ",");
    fr_put(b, f->id);
    fr_put(b, ",");
    num[fr_format_float64(num, f->score)] = '\0';
    fr_put(b, num);
    fr_put(b, ",");
    fr_csv(b, f->subject);
    fr_put(b, ",");
    fr_csv(b, f->org);
    fr_put(b, ",");
    fr_csv(b, f->summary);
    fr_put(b, ",");
    fr_put(b, fr_ts_text(t1, f->has_ts, f->first_ts));
    fr_put(b, ",");
    fr_put(b, fr_ts_text(t2, f->has_ts, f->last_ts));
    fr_put(b, ",");
    fr_csv(b, f->ev_table);
    fr_put(b, ",");
    fr_csv(b, f->ev_key);
    fr_putf(b, ",%u,", f->n_evidence);
    fr_buf_reset(&keys);
    for (uint32_t e = 0; e < f->n_evidence; e++) {
      if (e) fr_buf_put_u8(&keys, ' ');
      fr_put(&keys, f->evidence[e]);
    }
    fr_write_csv_field(b, keys.len ? (const char *)keys.data : "", keys.len, 0);
    fr_put(b, ",");
    fr_put(b, fr_scan_utc_text(t1, f->first_seen_us));
    fr_put(b, ",");
    fr_put(b, fr_scan_utc_text(t2, f->last_seen_us));
    fr_put(b, ",");
    fr_csv(b, f->supersedes);
    fr_put(b, "\n");
  }
  fr_buf_free(&keys);
}

/* ---- SVG charts --------------------------------------------------------------------- */

static const char *const fr_color_new = "#c0392b";
static const char *const fr_color_open = "#7f8c8d";

/* Findings by month (or year, for long spans) of their first_ts, new stacked on open. */
static void fr_chart_over_time(fr_buf *b, const fr_fstore *fs, const uint32_t *order, uint32_t n) {
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  for (uint32_t k = 0; k < n; k++) {
    const fr_sfinding *f = &fs->items[order[k]];
    if (!f->has_ts) continue;
    int64_t day = f->first_ts >= 0 ? f->first_ts / FR_US_PER_DAY : -((-f->first_ts + FR_US_PER_DAY - 1) / FR_US_PER_DAY);
    int64_t y;
    unsigned mo, d;
    fr_civil_from_days(day, &y, &mo, &d);
    int64_t mi = y * 12 + (mo - 1);
    if (mi < lo) lo = mi;
    if (mi > hi) hi = mi;
  }
  if (lo > hi) {
    fr_put(b, "<p class=\"muted\">No finding has a time.</p>\n");
    return;
  }
  int by_year = hi - lo >= 120;
  int64_t first = by_year ? lo / 12 : lo, last = by_year ? hi / 12 : hi;
  uint32_t n_buckets = (uint32_t)(last - first + 1);
  uint32_t *cnt_new = fr_calloc(n_buckets, sizeof *cnt_new), *cnt_open = fr_calloc(n_buckets, sizeof *cnt_open);
  if (cnt_new == NULL || cnt_open == NULL) {
    fr_free(cnt_new);
    fr_free(cnt_open);
    return;
  }
  uint32_t max = 1;
  for (uint32_t k = 0; k < n; k++) {
    const fr_sfinding *f = &fs->items[order[k]];
    if (!f->has_ts) continue;
    int64_t day = f->first_ts >= 0 ? f->first_ts / FR_US_PER_DAY : -((-f->first_ts + FR_US_PER_DAY - 1) / FR_US_PER_DAY);
    int64_t y;
    unsigned mo, d;
    fr_civil_from_days(day, &y, &mo, &d);
    int64_t mi = y * 12 + (mo - 1);
    uint32_t at = (uint32_t)((by_year ? mi / 12 : mi) - first);
    if (f->is_new) cnt_new[at]++;
    else cnt_open[at]++;
    if (cnt_new[at] + cnt_open[at] > max) max = cnt_new[at] + cnt_open[at];
  }
  const double W = 760, H = 200, left = 40, bottom = 30, top = 10;
  double bw = (W - left - 10) / n_buckets;
  fr_putf(b, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
             "aria-label=\"findings by %s of first activity\">\n",
          W, H, W, H, by_year ? "year" : "month");
  fr_putf(b, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#333\"/>\n", left, H - bottom, W - 10,
          H - bottom);
  fr_putf(b, "<text x=\"4\" y=\"%.0f\" font-size=\"10\">%u</text><text x=\"4\" y=\"%.0f\" font-size=\"10\">0</text>\n",
          top + 8, max, H - bottom);
  uint32_t label_every = n_buckets > 24 ? (n_buckets + 11) / 12 : 1;
  for (uint32_t k = 0; k < n_buckets; k++) {
    double x = left + k * bw;
    double h_open = (H - bottom - top) * cnt_open[k] / max, h_new = (H - bottom - top) * cnt_new[k] / max;
    int64_t bucket = first + k;
    char label[48];
    if (by_year) snprintf(label, sizeof label, "%lld", (long long)bucket);
    else snprintf(label, sizeof label, "%04lld-%02d", (long long)(bucket / 12), (int)(bucket % 12) + 1);
    if (cnt_open[k])
      fr_putf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %u still open</title></rect>\n",
              x + 1, H - bottom - h_open, bw > 3 ? bw - 2 : bw, h_open, fr_color_open, label, cnt_open[k]);
    if (cnt_new[k])
      fr_putf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %u new</title></rect>\n",
              x + 1, H - bottom - h_open - h_new, bw > 3 ? bw - 2 : bw, h_new, fr_color_new, label, cnt_new[k]);
    if (k % label_every == 0)
      fr_putf(b, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"9\">%s</text>\n", x + 1, H - bottom + 12, label);
  }
  fr_put(b, "</svg>\n");
  fr_free(cnt_new);
  fr_free(cnt_open);
}

/* Benford: the group's first-two-digit shares as bars, the expected curve as a line. */
static void fr_chart_benford(fr_buf *b, const char *chart_json) {
  json_object *o = json_tokener_parse(chart_json);
  json_object *digits = NULL, *nobj = NULL;
  if (o == NULL || !json_object_object_get_ex(o, "digits", &digits) || !json_object_object_get_ex(o, "n", &nobj) ||
      json_object_array_length(digits) != 90) {
    if (o) json_object_put(o);
    return;
  }
  double n = (double)json_object_get_int64(nobj);
  if (n <= 0) {
    json_object_put(o);
    return;
  }
  double share[100] = {0}, max = 0;
  for (int d = 10; d <= 99; d++) {
    share[d] = (double)json_object_get_int64(json_object_array_get_idx(digits, (size_t)(d - 10))) / n;
    double e = log10(1.0 + 1.0 / d);
    if (share[d] > max) max = share[d];
    if (e > max) max = e;
  }
  const double W = 640, H = 180, left = 36, bottom = 24, top = 8;
  double bw = (W - left - 8) / 90;
  fr_putf(b, "<figure><svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
             "aria-label=\"first two digits against Benford's law\">\n", W, H, W, H);
  fr_putf(b, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#333\"/>\n", left, H - bottom, W - 8,
          H - bottom);
  fr_putf(b, "<text x=\"2\" y=\"%.0f\" font-size=\"9\">%.1f%%</text>\n", top + 8, 100 * max);
  for (int d = 10; d <= 99; d++) {
    double h = (H - bottom - top) * share[d] / max;
    fr_putf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#2e86c1\"><title>%d: %.2f%% "
               "observed, %.2f%% expected</title></rect>\n",
            left + (d - 10) * bw, H - bottom - h, bw * 0.8, h, d, 100 * share[d], 100 * log10(1.0 + 1.0 / d));
    if (d % 10 == 0)
      fr_putf(b, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"9\">%d</text>\n", left + (d - 10) * bw, H - bottom + 12, d);
  }
  fr_put(b, "<polyline fill=\"none\" stroke=\"#c0392b\" stroke-width=\"1.5\" points=\"");
  for (int d = 10; d <= 99; d++)
    fr_putf(b, "%.1f,%.1f ", left + (d - 10) * bw + bw * 0.4,
            H - bottom - (H - bottom - top) * log10(1.0 + 1.0 / d) / max);
  fr_put(b, "\"/>\n</svg><figcaption>First two digits of the group's amounts (bars) against Benford's law "
            "(line).</figcaption></figure>\n");
  json_object_put(o);
}

/* Parsed evidence rows of one finding. */
typedef struct fr_rows {
  uint32_t n;
  json_object **obj;        /* NULL where a row did not parse */
} fr_rows;

static void fr_rows_parse(fr_rows *r, const fr_sfinding *f) {
  r->n = 0;
  r->obj = f->n_rows ? fr_calloc(f->n_rows, sizeof *r->obj) : NULL;
  if (r->obj == NULL)
    return;
  r->n = f->n_rows;
  for (uint32_t k = 0; k < f->n_rows; k++) {
    r->obj[k] = f->rows[k] != NULL ? json_tokener_parse(f->rows[k]) : NULL;
    if (r->obj[k] != NULL && !json_object_is_type(r->obj[k], json_type_object)) {
      json_object_put(r->obj[k]);
      r->obj[k] = NULL;
    }
  }
}

static void fr_rows_free(fr_rows *r) {
  for (uint32_t k = 0; k < r->n; k++)
    if (r->obj[k]) json_object_put(r->obj[k]);
  fr_free(r->obj);
}

static const char *fr_row_str(json_object *row, const char *key) {
  json_object *v;
  if (row == NULL || !json_object_object_get_ex(row, key, &v) || v == NULL)
    return NULL;
  return json_object_get_string(v);
}

/* The evidence rows on a time line: one dot per row with a `ts`. */
static void fr_chart_timeline(fr_buf *b, const fr_rows *rows, const char *key_col) {
  int64_t lo = INT64_MAX, hi = INT64_MIN, ts[64];
  uint32_t n = 0;
  for (uint32_t k = 0; k < rows->n && n < 64; k++) {
    const char *t = fr_row_str(rows->obj[k], "ts");
    if (t == NULL || fr_parse_timestamp(&ts[n], t, strlen(t)) != NULL)
      continue;
    if (ts[n] < lo) lo = ts[n];
    if (ts[n] > hi) hi = ts[n];
    n++;
  }
  if (n < 2)
    return;
  const double W = 640, H = 56, left = 10, right = 10;
  double span = hi > lo ? (double)(hi - lo) : 1;
  char a[FR_VALUE_TEXT_CAP + 1], z[FR_VALUE_TEXT_CAP + 1];
  fr_putf(b, "<figure><svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
             "aria-label=\"time line of the evidence\">\n", W, H, W, H);
  fr_putf(b, "<line x1=\"%.0f\" y1=\"24\" x2=\"%.0f\" y2=\"24\" stroke=\"#333\"/>\n", left, W - right);
  uint32_t shown = 0;
  for (uint32_t k = 0; k < rows->n && shown < n; k++) {
    const char *t = fr_row_str(rows->obj[k], "ts");
    int64_t v;
    if (t == NULL || fr_parse_timestamp(&v, t, strlen(t)) != NULL)
      continue;
    shown++;
    double x = left + (W - left - right) * (double)(v - lo) / span;
    fr_putf(b, "<circle cx=\"%.1f\" cy=\"24\" r=\"5\" fill=\"#2e86c1\" fill-opacity=\"0.7\"><title>", x);
    fr_html(b, fr_row_str(rows->obj[k], key_col));
    fr_put(b, " ");
    fr_html(b, t);
    const char *amount = fr_row_str(rows->obj[k], "amount");
    if (amount != NULL) {
      fr_put(b, " ");
      fr_html(b, amount);
    }
    fr_put(b, "</title></circle>\n");
  }
  a[fr_format_timestamp(a, lo)] = '\0';
  z[fr_format_timestamp(z, hi)] = '\0';
  fr_putf(b, "<text x=\"%.0f\" y=\"48\" font-size=\"10\">%s</text>", left, a);
  fr_putf(b, "<text x=\"%.0f\" y=\"48\" font-size=\"10\" text-anchor=\"end\">%s</text>\n</svg>"
             "<figcaption>Evidence rows over time (hover a dot for the row).</figcaption></figure>\n",
          W - right, z);
}

/* A money cycle: accounts on a circle, one arrow per payment payer -> payee. */
static void fr_chart_cycle(fr_buf *b, const fr_rows *rows) {
  const char *nodes[16];
  uint32_t n_nodes = 0;
  for (uint32_t k = 0; k < rows->n; k++) {
    const char *ends[2] = {fr_row_str(rows->obj[k], "payer"), fr_row_str(rows->obj[k], "payee")};
    for (int e = 0; e < 2; e++) {
      if (ends[e] == NULL) return;
      uint32_t j = 0;
      while (j < n_nodes && strcmp(nodes[j], ends[e]) != 0) j++;
      if (j == n_nodes) {
        if (n_nodes == 16) return;
        nodes[n_nodes++] = ends[e];
      }
    }
  }
  if (n_nodes < 1 || n_nodes > 12)
    return;
  const double W = 420, H = 300, cx = 210, cy = 150, R = 105;
  const double pi = acos(-1.0);
  fr_putf(b, "<figure><svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
             "aria-label=\"money cycle\">\n<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
             "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" "
             "fill=\"#c0392b\"/></marker></defs>\n", W, H, W, H);
  double px[16], py[16];
  for (uint32_t j = 0; j < n_nodes; j++) {
    double ang = -pi / 2 + 2 * pi * j / n_nodes;
    px[j] = cx + R * cos(ang);
    py[j] = cy + R * sin(ang);
  }
  for (uint32_t k = 0; k < rows->n; k++) {
    const char *a = fr_row_str(rows->obj[k], "payer"), *z = fr_row_str(rows->obj[k], "payee");
    uint32_t i = 0, j = 0;
    while (strcmp(nodes[i], a) != 0) i++;
    while (strcmp(nodes[j], z) != 0) j++;
    double dx = px[j] - px[i], dy = py[j] - py[i], len = sqrt(dx * dx + dy * dy);
    if (len < 1) continue;
    /* shifted sideways so that A->B and B->A stay apart */
    double ox = -dy / len * 6, oy = dx / len * 6;
    double sx = px[i] + dx / len * 22 + ox, sy = py[i] + dy / len * 22 + oy;
    double ex = px[j] - dx / len * 22 + ox, ey = py[j] - dy / len * 22 + oy;
    fr_putf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c0392b\" stroke-width=\"1.5\" "
               "marker-end=\"url(#arrow)\"/>\n", sx, sy, ex, ey);
    fr_putf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">", (sx + ex) / 2 + 3 * ox,
            (sy + ey) / 2 + 3 * oy);
    fr_html(b, fr_row_str(rows->obj[k], "amount"));
    fr_put(b, "</text>\n");
  }
  for (uint32_t j = 0; j < n_nodes; j++) {
    fr_putf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"20\" fill=\"#fdebd0\" stroke=\"#333\"/>"
               "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" text-anchor=\"middle\">", px[j], py[j], px[j], py[j] + 3);
    fr_html(b, nodes[j]);
    fr_put(b, "</text>\n");
  }
  fr_put(b, "</svg><figcaption>The cycle: accounts and the payments between them.</figcaption></figure>\n");
}

/* The evidence rows as a table, columns in the first row's order. */
static void fr_rows_table(fr_buf *b, const fr_rows *rows) {
  json_object *head = NULL;
  for (uint32_t k = 0; k < rows->n && head == NULL; k++) head = rows->obj[k];
  if (head == NULL)
    return;
  fr_put(b, "<div class=\"rows\"><table><thead><tr>");
  json_object_object_foreach(head, name, unused) {
    (void)unused;
    fr_put(b, "<th>");
    fr_html(b, name);
    fr_put(b, "</th>");
  }
  fr_put(b, "</tr></thead><tbody>\n");
  for (uint32_t k = 0; k < rows->n; k++) {
    if (rows->obj[k] == NULL) continue;
    fr_put(b, "<tr>");
    json_object_object_foreach(head, col, unused2) {
      (void)unused2;
      json_object *v;
      fr_put(b, "<td>");
      if (json_object_object_get_ex(rows->obj[k], col, &v) && v != NULL)
        fr_html(b, json_object_get_string(v));
      fr_put(b, "</td>");
    }
    fr_put(b, "</tr>\n");
  }
  fr_put(b, "</tbody></table></div>\n");
}

/* ---- the page --------------------------------------------------------------------- */

static void fr_finding_html(fr_buf *b, const fr_sfinding *f, const char *store_dir) {
  char t1[FR_VALUE_TEXT_CAP + 1], t2[FR_VALUE_TEXT_CAP + 1], num[64];
  fr_putf(b, "<details class=\"finding\" data-status=\"%s\" data-id=\"%s\" data-detector=\"", f->is_new ? "new" : "open",
          f->id);
  fr_html(b, f->detector);
  fr_putf(b, "\"><summary><span class=\"sev %s\">%s</span>%s <b>", fr_severity_name(f->severity),
          fr_severity_name(f->severity), f->is_new ? (f->supersedes ? " <span class=\"tag upd\">updated</span>"
                                                                    : " <span class=\"tag new\">new</span>")
                                                   : "");
  fr_html(b, f->rule);
  fr_put(b, "</b> ");
  fr_html(b, f->subject);
  if (f->org) {
    fr_put(b, " <span class=\"muted\">");
    fr_html(b, f->org);
    fr_put(b, "</span>");
  }
  fr_put(b, " &mdash; ");
  fr_html(b, f->summary);
  fr_put(b, "</summary>\n<dl>");
  fr_putf(b, "<dt>id</dt><dd><code>%s</code></dd><dt>detector</dt><dd>", f->id);
  fr_html(b, f->detector);
  num[fr_format_float64(num, f->score)] = '\0';
  fr_putf(b, "</dd><dt>score</dt><dd>%s</dd><dt>owner</dt><dd>", num);
  fr_html(b, f->owner);
  fr_putf(b, "</dd><dt>activity</dt><dd>%s &ndash; %s</dd>", fr_ts_text(t1, f->has_ts, f->first_ts),
          fr_ts_text(t2, f->has_ts, f->last_ts));
  fr_putf(b, "<dt>first seen</dt><dd>scan %llu, %s</dd>", (unsigned long long)f->first_seen_scan,
          fr_scan_utc_text(t1, f->first_seen_us));
  fr_putf(b, "<dt>last seen</dt><dd>scan %llu, %s</dd>", (unsigned long long)f->last_seen_scan,
          fr_scan_utc_text(t2, f->last_seen_us));
  if (f->supersedes) {
    fr_put(b, "<dt>replaces</dt><dd><code>");
    fr_html(b, f->supersedes);
    fr_put(b, "</code> (an earlier finding of this rule with some of the same evidence)</dd>");
  }
  fr_put(b, "<dt>evidence</dt><dd>");
  fr_html(b, f->ev_table);
  fr_put(b, ".");
  fr_html(b, f->ev_key);
  fr_putf(b, ", %u row%s: <code>", f->n_evidence, f->n_evidence == 1 ? "" : "s");
  for (uint32_t e = 0; e < f->n_evidence && e < 40; e++) {
    if (e) fr_put(b, " ");
    fr_html(b, f->evidence[e]);
  }
  if (f->n_evidence > 40)
    fr_putf(b, " &hellip; (%u more)", f->n_evidence - 40);
  fr_put(b, "</code></dd></dl>\n");
  if (f->chart != NULL && strstr(f->chart, "\"benford\"") != NULL)
    fr_chart_benford(b, f->chart);
  fr_rows rows;
  fr_rows_parse(&rows, f);
  if (f->detector != NULL && strcmp(f->detector, "round_trip") == 0)
    fr_chart_cycle(b, &rows);
  fr_chart_timeline(b, &rows, f->ev_key != NULL ? f->ev_key : "");
  fr_rows_table(b, &rows);
  if (f->n_rows < f->n_evidence) {
    fr_putf(b, "<p class=\"muted\">%u of %u evidence rows shown; all of them: <code>ferret detect ", f->n_rows,
            f->n_evidence);
    fr_html(b, store_dir);
    fr_put(b, " ");
    fr_html(b, f->detector);
    fr_put(b, " --explain</code> (with the rule's parameters)</p>\n");
  }
  fr_rows_free(&rows);
  fr_put(b, "</details>\n");
}

static const char fr_css[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#222}"
    "h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}"
    "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left}"
    "th{background:#f4f4f4}.num{text-align:right}.muted{color:#777}code{font-size:12px}"
    "details.finding{border:1px solid #ddd;border-radius:4px;margin:6px 0;padding:4px 8px}"
    "details.finding[open]{background:#fcfcfc}summary{cursor:pointer}"
    ".sev{display:inline-block;min-width:56px;text-align:center;border-radius:3px;color:#fff;font-size:11px;"
    "margin-right:6px;padding:0 4px}.sev.low{background:#7f8c8d}.sev.medium{background:#d68910}"
    ".sev.high{background:#c0392b}.sev.critical{background:#6c0a0a}"
    ".tag{font-size:11px;border-radius:3px;padding:0 4px;color:#fff}.tag.new{background:#c0392b}"
    ".tag.upd{background:#8e44ad}dl{display:grid;grid-template-columns:110px 1fr;gap:2px 10px;margin:8px 0}"
    "dt{color:#555}dd{margin:0;word-break:break-all}.rows{overflow-x:auto;margin:6px 0}"
    "figure{margin:8px 0}figcaption{font-size:11px;color:#666}.cards{display:flex;gap:12px;flex-wrap:wrap}"
    ".card{border:1px solid #ddd;border-radius:4px;padding:8px 14px}.card b{font-size:22px;display:block}";

void fr_report_render(const fr_report_input *in, fr_buf *json, fr_buf *csv, fr_buf *html) {
  const fr_fstore *fs = in->fs;
  const fr_scan_result *res = in->result;
  uint32_t *order = fr_calloc(fs->n ? fs->n : 1, sizeof *order);
  if (order == NULL) {
    json->failed = csv->failed = html->failed = 1;
    return;
  }
  uint32_t n = 0;
  for (uint32_t k = 0; k < fs->n; k++)
    if (fs->items[k].open || fs->items[k].is_new)
      order[n++] = k;
  qsort_r(order, n, sizeof *order, fr_report_order, (void *)fs);
  for (uint32_t k = 0; k < n; k++) {
    fr_sfinding_write_json(json, &fs->items[order[k]], 0);
    fr_put(json, "\n");
  }
  fr_render_csv(csv, fs, order, n);

  char now[40];
  fr_scan_utc_text(now, in->now_us);
  fr_put(html, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width\"><title>ferret scan ");
  fr_html(html, in->store_dir);
  fr_putf(html, " #%llu</title><style>", (unsigned long long)res->scan_seq);
  fr_put(html, fr_css);
  fr_put(html, "</style></head><body>\n");
  fr_put(html, "<h1>ferret scan of <code>");
  fr_html(html, in->store_dir);
  fr_putf(html, "</code></h1>\n<p class=\"muted\">Scan %llu at %s (store version %llu), rule pack ",
          (unsigned long long)res->scan_seq, now, (unsigned long long)res->store_version);
  fr_html(html, in->pack->source);
  fr_putf(html, " (%u rules).</p>\n", in->pack->n_rules);
  fr_putf(html, "<div class=\"cards\" id=\"counts\" data-new=\"%u\" data-open=\"%u\" data-closed=\"%u\">"
                "<div class=\"card\"><b id=\"n-new\">%u</b>new findings</div>"
                "<div class=\"card\"><b>%u</b>of them updating an earlier finding</div>"
                "<div class=\"card\"><b id=\"n-open\">%u</b>still open</div>"
                "<div class=\"card\"><b>%u</b>closed by this scan</div></div>\n",
          res->n_new, res->n_open, res->n_closed, res->n_new, res->n_updated, res->n_open, res->n_closed);

  fr_put(html, "<h2>Findings over time</h2>\n");
  fr_chart_over_time(html, fs, order, n);
  fr_putf(html, "<p class=\"muted\">By the month of each finding's first evidence row: "
                "<span style=\"color:%s\">&#9632;</span> new, <span style=\"color:%s\">&#9632;</span> still open.</p>\n",
          fr_color_new, fr_color_open);

  /* per rule */
  fr_put(html, "<h2>Rules</h2>\n<table><thead><tr><th>rule</th><th>detector</th><th>severity</th><th>owner</th>"
               "<th>mode</th><th>why</th><th class=\"num\">rows read / table</th><th class=\"num\">new rows</th>"
               "<th class=\"num\">found</th><th class=\"num\">new</th><th class=\"num\">closed</th>"
               "<th class=\"num\">seconds</th></tr></thead><tbody>\n");
  for (uint32_t k = 0; k < res->n_rules; k++) {
    const fr_scan_rule_result *rr = &res->rules[k];
    if (rr->rule == NULL) continue;
    fr_put(html, "<tr><td>");
    fr_html(html, rr->rule->name);
    fr_putf(html, "</td><td>%s %s</td><td>%s</td><td>", rr->rule->detector->id, rr->rule->detector->name,
            fr_severity_name(rr->rule->severity));
    fr_html(html, rr->rule->owner);
    fr_putf(html, "</td><td>%s</td><td>", fr_scan_mode_name(rr->mode));
    fr_html(html, rr->why);
    fr_putf(html, "</td><td class=\"num\">%llu / %llu</td><td class=\"num\">%llu</td><td class=\"num\">%u</td>"
                  "<td class=\"num\">%u</td><td class=\"num\">%u</td><td class=\"num\">%.2f</td></tr>\n",
            (unsigned long long)rr->rows_loaded, (unsigned long long)rr->rows_total, (unsigned long long)rr->rows_new,
            rr->n_found, rr->n_new, rr->n_closed, rr->seconds);
  }
  fr_put(html, "</tbody></table>\n");

  /* per detector and per org */
  fr_put(html, "<h2>By detector</h2>\n<table><thead><tr><th>detector</th><th class=\"num\">new</th>"
               "<th class=\"num\">still open</th></tr></thead><tbody>\n");
  for (uint32_t d = 0; d < fr_detect_count(); d++) {
    const fr_detector_info *info = fr_detect_at(d);
    uint32_t c_new = 0, c_open = 0;
    for (uint32_t k = 0; k < n; k++) {
      const fr_sfinding *f = &fs->items[order[k]];
      if (f->detector == NULL || strcmp(f->detector, info->name) != 0) continue;
      if (f->is_new) c_new++;
      else c_open++;
    }
    if (c_new + c_open == 0) continue;
    fr_putf(html, "<tr><td>%s %s</td><td class=\"num\">%u</td><td class=\"num\">%u</td></tr>\n", info->id, info->name,
            c_new, c_open);
  }
  fr_put(html, "</tbody></table>\n");
  fr_put(html, "<h2>By org</h2>\n<table><thead><tr><th>org</th><th class=\"num\">new</th>"
               "<th class=\"num\">still open</th></tr></thead><tbody>\n");
  {
    /* distinct orgs by count, descending (quadratic in orgs; orgs with findings are few) */
    const char **orgs = fr_calloc(n ? n : 1, sizeof *orgs);
    uint32_t *c_new = fr_calloc(n ? n : 1, sizeof *c_new), *c_open = fr_calloc(n ? n : 1, sizeof *c_open);
    uint32_t n_orgs = 0;
    for (uint32_t k = 0; orgs != NULL && c_new != NULL && c_open != NULL && k < n; k++) {
      const fr_sfinding *f = &fs->items[order[k]];
      const char *org = f->org != NULL ? f->org : "(none)";
      uint32_t j = 0;
      while (j < n_orgs && strcmp(orgs[j], org) != 0) j++;
      if (j == n_orgs) orgs[n_orgs++] = org;
      if (f->is_new) c_new[j]++;
      else c_open[j]++;
    }
    for (uint32_t shown = 0; shown < n_orgs && shown < 30; shown++) {
      uint32_t best = UINT32_MAX;
      for (uint32_t j = 0; j < n_orgs; j++) {
        if (c_new[j] + c_open[j] == 0) continue;
        if (best == UINT32_MAX || c_new[j] + c_open[j] > c_new[best] + c_open[best] ||
            (c_new[j] + c_open[j] == c_new[best] + c_open[best] && strcmp(orgs[j], orgs[best]) < 0))
          best = j;
      }
      if (best == UINT32_MAX) break;
      fr_put(html, "<tr><td>");
      fr_html(html, orgs[best]);
      fr_putf(html, "</td><td class=\"num\">%u</td><td class=\"num\">%u</td></tr>\n", c_new[best], c_open[best]);
      c_new[best] = c_open[best] = 0;
    }
    if (n_orgs > 30)
      fr_putf(html, "<tr><td colspan=\"3\" class=\"muted\">&hellip; %u more orgs</td></tr>\n", n_orgs - 30);
    fr_free(orgs);
    fr_free(c_new);
    fr_free(c_open);
  }
  fr_put(html, "</tbody></table>\n");

  uint32_t n_new = 0;
  for (uint32_t k = 0; k < n; k++) n_new += fs->items[order[k]].is_new;
  fr_putf(html, "<h2 id=\"new\">New findings (%u)</h2>\n", n_new);
  if (n_new == 0)
    fr_put(html, "<p class=\"muted\">Nothing new since the last scan.</p>\n");
  for (uint32_t k = 0; k < n_new; k++) fr_finding_html(html, &fs->items[order[k]], in->store_dir);
  fr_putf(html, "<h2 id=\"open\">Still open (%u)</h2>\n<p class=\"muted\">Reported by earlier scans and still "
                "found (or not re-examined: their data did not change).</p>\n", n - n_new);
  for (uint32_t k = n_new; k < n; k++) fr_finding_html(html, &fs->items[order[k]], in->store_dir);
  fr_put(html, "<p class=\"muted\">findings.json and findings.csv beside this file hold the same findings.</p>\n"
               "</body></html>\n");
  fr_free(order);
}
