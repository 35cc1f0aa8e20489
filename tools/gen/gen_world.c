/* gen_world.c: orgs, posts, entities and vocabulary of the synthetic world.
 *
 * Invariant: every entity field is a pure function of (seed, entity) or of a
 * planted override, and the contact fields are injective (bijective scrambles of
 * the entity number), so two background entities never share a phone, address,
 * bank account or id_no. Posts: the director, deputy, finance head, cashier,
 * first section chief and first clerk of every org are never vacant from
 * 2022-07-01 on, and no background tenure ends after FR_GEN_LAST_HANDOVER.
 * Workload: entity fields are built once per entity row (about rows/10 of them)
 * and on lookups by the planted-case evaluators.
 */
#include "gen_world.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_plant.h"
#include "gen_sink.h"
#include "gen_time.h"

/* ---- vocabulary ---------------------------------------------------------- */

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
    "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
    "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡"};
static const char *const given[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "建", "文", "辉",
    "力", "斌", "宇", "浩", "凯", "鹏", "飞", "云", "峰", "婷", "雪", "琳", "晨", "欣", "宁",
    "博", "海", "亮", "志", "鑫", "波", "俊", "佳", "帅", "燕", "颖", "倩", "雷", "晶", "慧"};
static const char *const cities[16] = {"临江", "青山", "云海", "东川", "南平", "西岭", "北塘", "安阳",
                                       "长宁", "宝丰", "清河", "金华", "永安", "兴隆", "新城", "白石"};
static const char *const city_area[16] = {"0571", "0572", "0573", "0574", "0575", "0576", "0577", "0578",
                                          "0579", "0580", "0531", "0532", "0533", "0534", "0535", "0536"};
static const char *const districts[8] = {"东城", "西城", "南湖", "北岸", "高新", "滨江", "开发", "老城"};
static const char *const syl1[20] = {"建", "人", "解", "和", "胜", "中", "光", "新", "友", "朝",
                                     "文", "民", "学", "东", "西", "南", "北", "复", "兴", "长"};
static const char *const syl2[20] = {"设", "民", "放", "平", "利", "山", "明", "华", "谊", "阳",
                                     "化", "主", "院", "风", "湖", "京", "海", "兴", "业", "江"};
static const char *const cw1[16] = {"恒", "鑫", "华", "盛", "瑞", "达", "通", "宏",
                                    "泰", "远", "信", "诚", "博", "康", "天", "嘉"};
static const char *const cw2[16] = {"丰", "源", "泰", "发", "达", "安", "宇", "程",
                                    "晟", "昌", "隆", "辉", "瑞", "德", "邦", "创"};
static const char *const industries[12] = {"科技", "商贸", "建设工程", "物业管理", "信息技术", "医疗器械",
                                           "文化传媒", "餐饮管理", "环保科技", "咨询", "办公设备", "交通运输"};
static const char *const en_names[8] = {"Hengda", "Golden Bridge", "Silverline", "Eastwind",
                                        "Greenfield", "Northstar", "Bluewater", "Redstone"};
static const char *const en_kinds[4] = {"Trading Co., Ltd.", "Consulting Co., Ltd.", "Engineering Ltd.",
                                        "Technology Co., Ltd."};
static const char *const depts[22] = {
    "财政局", "教育局", "卫生健康委员会", "民政局", "交通运输局", "住房和城乡建设局",
    "自然资源局", "生态环境局", "农业农村局", "水利局", "文化和旅游局", "市场监督管理局",
    "人力资源和社会保障局", "公安局", "应急管理局", "统计局", "审计局", "城市管理局",
    "商务局", "科学技术局", "街道办事处", "镇人民政府"};
static const char *const regions[10] = {"110101", "310104", "330106", "440305", "510107",
                                        "420102", "320102", "370202", "610113", "500103"};
static const char *const mobile[20] = {"130", "131", "132", "135", "136", "137", "138",
                                       "139", "150", "151", "152", "158", "159", "186",
                                       "187", "188", "189", "177", "180", "181"};

const char *const fr_gen_budget_codes[FR_GEN_N_CODES] = {
    /* background */
    "2010101", "2010301", "2010350", "2010601", "2040201", "2050201", "2050302", "2070101",
    "2080201", "2080801", "2081001", "2100201", "2100302", "2110101", "2120101", "2120501",
    "2130101", "2130301", "2130701", "2140101", "2140106", "2160201", "2210201", "2240101",
    /* planted only */
    "2019999", "2049999", "2059999", "2079999", "2089999", "2109999", "2119999", "2129999",
    "2139999", "2149999", "2169999", "2219999", "2299901", "2299902", "2299903", "2299999"};

const char *const fr_gen_categories[FR_GEN_N_CATEGORIES] = {
    "IT equipment", "office supplies", "construction works", "road maintenance",
    "consulting services", "medical supplies", "vehicles", "printing and publishing"};

const char *const fr_gen_programs[FR_GEN_N_PROGRAMS] = {"城乡最低生活保障", "特困人员救助供养",
                                                        "高龄津贴", "困难残疾人生活补贴"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- sizes, orgs, lines ---------------------------------------------------- */

static uint64_t clamp_u64(uint64_t v, uint64_t lo, uint64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

static int32_t day_of(int y, int m, int d) { return fr_gen_days_from_civil(y, m, d); }

static int add_post_row(fr_gen_world *w, uint32_t org, uint16_t post, uint32_t official,
                        int32_t start, int32_t end) {
  fr_gen_post p = {org, post, official, start, end};
  return fr_gen_world_add_post(w, &p);
}

int fr_gen_world_add_post(fr_gen_world *w, const fr_gen_post *p) {
  if (w->n_posts == w->cap_posts) {
    uint32_t cap = w->cap_posts ? w->cap_posts * 2 : 1024;
    fr_gen_post *np = realloc(w->posts, cap * sizeof *np);
    if (!np) return FR_GEN_ENOMEM;
    w->posts = np;
    w->cap_posts = cap;
  }
  w->posts[w->n_posts++] = *p;
  return FR_GEN_OK;
}

/* Tenures of one org's posts: chains of 2-6 year terms starting 2014..mid-2022;
 * critical posts hand over the next day, others may stay vacant 10-90 days. */
static int gen_org_posts(fr_gen_world *w, uint32_t org) {
  int special = org >= w->n_org_bg;
  int n_sec = w->org_sections[org], n_clerk = w->org_clerks[org];
  int32_t last_handover = day_of(FR_GEN_LAST_HANDOVER_Y, FR_GEN_LAST_HANDOVER_M, FR_GEN_LAST_HANDOVER_D);
  for (int k = 0; k < 4 + n_sec + n_clerk; k++) {
    uint16_t code = k < 4 ? FR_GEN_POST(k, 1)
                  : k < 4 + n_sec ? FR_GEN_POST(FR_GEN_POST_SECTION, k - 3)
                                  : FR_GEN_POST(FR_GEN_POST_CLERK, k - 3 - n_sec);
    int critical = k < 4 || code == FR_GEN_POST(FR_GEN_POST_SECTION, 1) ||
                   code == FR_GEN_POST(FR_GEN_POST_CLERK, 1);
    fr_gen_rng r = fr_gen_rng_at(w->seed, FR_GEN_S_POST, (uint64_t)org * 64 + (uint64_t)k);
    if (special) {
      int32_t start = (int32_t)fr_gen_range(&r, day_of(2016, 1, 1), day_of(2022, 6, 30));
      if (add_post_row(w, org, code, w->n_official++, start, FR_GEN_NODAY)) return FR_GEN_ENOMEM;
      continue;
    }
    int32_t start = (int32_t)fr_gen_range(&r, day_of(2014, 1, 1), day_of(2022, 6, 30));
    int first = 1;
    for (;;) {
      int32_t end = start + (int32_t)fr_gen_range(&r, 730, 2190) - 1;
      if (end > last_handover) end = FR_GEN_NODAY;
      int32_t shown = first && fr_gen_chance(&r, 0.15) ? FR_GEN_NODAY : start;
      if (add_post_row(w, org, code, w->n_official++, shown, end)) return FR_GEN_ENOMEM;
      first = 0;
      if (end == FR_GEN_NODAY) break;
      int32_t gap = critical ? 0 : fr_gen_chance(&r, 0.3) ? (int32_t)fr_gen_range(&r, 10, 90) : 0;
      start = end + 1 + gap;
      if (start > FR_GEN_DAY_END) break;
    }
  }
  return FR_GEN_OK;
}

static int post_cmp(const void *a, const void *b) {
  const fr_gen_post *x = a, *y = b;
  if (x->org != y->org) return x->org < y->org ? -1 : 1;
  if (x->post != y->post) return x->post < y->post ? -1 : 1;
  /* NODAY (INT32_MIN) sorts first: it is the earliest start. */
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return x->official < y->official ? -1 : x->official > y->official;
}

int fr_gen_world_index(fr_gen_world *w) {
  qsort(w->posts, w->n_posts, sizeof *w->posts, post_cmp);
  free(w->org_post_first);
  w->org_post_first = calloc((size_t)w->n_org + 1, sizeof *w->org_post_first);
  if (!w->org_post_first) return FR_GEN_ENOMEM;
  uint32_t k = 0;
  for (uint32_t o = 0; o <= w->n_org; o++) {
    while (k < w->n_posts && w->posts[k].org < o) k++;
    w->org_post_first[o] = k;
  }
  return FR_GEN_OK;
}

int fr_gen_world_init(fr_gen_world *w, uint64_t seed, uint64_t rows, uint32_t n_special) {
  memset(w, 0, sizeof *w);
  w->seed = seed;
  w->rows = rows;
  w->n_org_bg = (uint32_t)clamp_u64(rows / 5000, 20, 2000);
  w->n_org = w->n_org_bg + n_special;
  w->n_vendor_bg = (uint32_t)clamp_u64(rows / 20, 200, 90000000);
  w->n_vendor = w->n_vendor_bg;
  w->n_household = (uint32_t)clamp_u64(rows / 96, 100, 50000000);
  w->n_owner = w->n_vendor_bg / 2 + 1;
  w->n_service_cases = clamp_u64(rows / 25, 100, UINT64_MAX);
  w->n_tenders_bg = clamp_u64(rows / 100, 50, UINT64_MAX);
  uint32_t nb = w->n_org_bg, no = w->n_org;
  w->org_cdf = malloc(nb * sizeof *w->org_cdf);
  w->org_catalog = malloc(nb * sizeof *w->org_catalog);
  w->org_sections = malloc(no);
  w->org_clerks = malloc(no);
  w->org_payday = malloc(no);
  w->org_nlines = malloc(nb);
  w->line_code = malloc((size_t)nb * FR_GEN_MAX_LINES);
  w->line_center = malloc((size_t)nb * FR_GEN_MAX_LINES * sizeof *w->line_center);
  if (!w->org_cdf || !w->org_catalog || !w->org_sections || !w->org_clerks || !w->org_payday ||
      !w->org_nlines || !w->line_code || !w->line_center)
    return FR_GEN_ENOMEM;
  double total = 0;
  for (uint32_t o = 0; o < nb; o++) total += pow((double)o + 1, -0.9);
  double acc = 0;
  for (uint32_t o = 0; o < nb; o++) {
    double share = pow((double)o + 1, -0.9) / total;
    acc += share;
    w->org_cdf[o] = o + 1 == nb ? 1.0 : acc;
    w->org_catalog[o] = (uint32_t)clamp_u64((uint64_t)(share * w->n_vendor_bg * 3), 20, w->n_vendor_bg);
    fr_gen_rng r = fr_gen_rng_at(seed, FR_GEN_S_ORG, o);
    w->org_nlines[o] = (uint8_t)(3 + fr_gen_below(&r, 10));
    uint32_t start = (uint32_t)fr_gen_below(&r, FR_GEN_N_BG_CODES);
    double mu = log(3000.0) + 0.5 * fr_gen_normal(&r);
    for (uint32_t l = 0; l < FR_GEN_MAX_LINES; l++) {
      w->line_code[o * FR_GEN_MAX_LINES + l] = (uint8_t)((start + l * 7) % FR_GEN_N_BG_CODES);
      fr_gen_rng lr = fr_gen_rng_at(seed, FR_GEN_S_LINE, (uint64_t)o * FR_GEN_MAX_LINES + l);
      double c = mu + fr_gen_normal(&lr);
      if (c < log(300.0)) c = log(300.0);
      if (c > log(300000.0)) c = log(300000.0);
      w->line_center[o * FR_GEN_MAX_LINES + l] = (float)c;
    }
  }
  for (uint32_t o = 0; o < no; o++) {
    int extra = o >= nb ? 0 : o < nb / 20 ? 4 : o < nb / 5 ? 2 : 0;
    w->org_sections[o] = (uint8_t)(2 + extra);
    w->org_clerks[o] = (uint8_t)(2 + extra);
    fr_gen_rng r = fr_gen_rng_at(seed, FR_GEN_S_ORG, 1000000000ULL + o);
    w->org_payday[o] = (uint8_t)(5 + fr_gen_below(&r, 16));
  }
  for (uint32_t o = 0; o < no; o++)
    if (gen_org_posts(w, o)) return FR_GEN_ENOMEM;
  w->off_relative = w->n_official;
  w->off_household = w->off_relative + 2 * w->n_official;
  w->off_owner = w->off_household + w->n_household;
  w->n_person_bg = w->off_owner + w->n_owner;
  w->n_person = w->n_person_bg;
  return fr_gen_world_index(w);
}

void fr_gen_world_free(fr_gen_world *w) {
  free(w->org_cdf);
  free(w->org_catalog);
  free(w->org_sections);
  free(w->org_clerks);
  free(w->org_payday);
  free(w->org_nlines);
  free(w->line_code);
  free(w->line_center);
  free(w->posts);
  free(w->org_post_first);
  memset(w, 0, sizeof *w);
}

uint32_t fr_gen_pick_org(const fr_gen_world *w, double u) {
  uint32_t lo = 0, hi = w->n_org_bg - 1;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (w->org_cdf[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/* ---- posts ----------------------------------------------------------------- */

uint32_t fr_gen_holder(const fr_gen_world *w, uint32_t org, uint16_t post, int32_t day) {
  for (uint32_t k = w->org_post_first[org]; k < w->org_post_first[org + 1]; k++) {
    const fr_gen_post *p = &w->posts[k];
    if (p->post != post) continue;
    if (p->start != FR_GEN_NODAY && day < p->start) continue;
    if (p->end != FR_GEN_NODAY && day > p->end) continue;
    return p->official;
  }
  return FR_GEN_NONE;
}

uint32_t fr_gen_pick_requester(const fr_gen_world *w, uint32_t org, int32_t day, double u) {
  int s = w->org_sections[org], c = w->org_clerks[org];
  int k = (int)(u * (s + c));
  if (k >= s + c) k = s + c - 1;
  uint16_t post = k < s ? FR_GEN_POST(FR_GEN_POST_SECTION, k + 1) : FR_GEN_POST(FR_GEN_POST_CLERK, k - s + 1);
  uint32_t who = fr_gen_holder(w, org, post, day);
  return who != FR_GEN_NONE ? who : fr_gen_holder(w, org, FR_GEN_POST(FR_GEN_POST_CLERK, 1), day);
}

uint32_t fr_gen_pick_reviewer(const fr_gen_world *w, uint32_t org, int32_t day, double u) {
  int s = w->org_sections[org];
  int k = (int)(u * s);
  if (k >= s) k = s - 1;
  uint32_t who = fr_gen_holder(w, org, FR_GEN_POST(FR_GEN_POST_SECTION, k + 1), day);
  return who != FR_GEN_NONE ? who : fr_gen_holder(w, org, FR_GEN_POST(FR_GEN_POST_SECTION, 1), day);
}

uint32_t fr_gen_pick_clerk(const fr_gen_world *w, uint32_t org, int32_t day, double u) {
  int c = w->org_clerks[org];
  int k = (int)(u * c);
  if (k >= c) k = c - 1;
  uint32_t who = fr_gen_holder(w, org, FR_GEN_POST(FR_GEN_POST_CLERK, k + 1), day);
  return who != FR_GEN_NONE ? who : fr_gen_holder(w, org, FR_GEN_POST(FR_GEN_POST_CLERK, 1), day);
}

void fr_gen_post_name(char *out, uint16_t post) {
  static const char *const names[] = {"director", "deputy_director", "finance_head", "cashier",
                                      "section_chief_", "clerk_"};
  int type = post >> 8, num = post & 0xff;
  if (type >= FR_GEN_POST_SECTION) snprintf(out, 24, "%s%d", names[type], num);
  else snprintf(out, 24, "%s", names[type]);
}

/* ---- entities -------------------------------------------------------------- */

int fr_gen_key_fmt(char *out, uint64_t key) {
  uint32_t idx = FR_GEN_KEY_IDX(key);
  switch (FR_GEN_KEY_KIND(key)) {
  case FR_GEN_K_ORG: return snprintf(out, 16, "ORG-%04u", idx + 1);
  case FR_GEN_K_VENDOR: return snprintf(out, 16, "V-%07u", idx + 1);
  case FR_GEN_K_PERSON: return snprintf(out, 16, "P-%07u", idx + 1);
  default: out[0] = 0; return 0;
  }
}

/* Global entity number: unique across kinds, the input of the contact scrambles. */
static uint64_t entity_number(uint64_t key) {
  uint64_t idx = FR_GEN_KEY_IDX(key);
  switch (FR_GEN_KEY_KIND(key)) {
  case FR_GEN_K_ORG: return idx;
  case FR_GEN_K_VENDOR: return 1000000ULL + idx;
  default: return 100000000ULL + idx;
  }
}

static void person_name(char *out, size_t cap, fr_gen_rng *r) {
  const char *s = surnames[fr_gen_below(r, NELEM(surnames))];
  const char *g1 = given[fr_gen_below(r, NELEM(given))];
  if (fr_gen_chance(r, 0.6)) snprintf(out, cap, "%s%s%s", s, g1, given[fr_gen_below(r, NELEM(given))]);
  else snprintf(out, cap, "%s%s", s, g1);
}

/* An address unique to g: (road, number, building, room) is a bijection of a
 * scramble of g modulo 400 x 300 x 30 x 1000. */
static void address_of(char *out, size_t cap, uint64_t seed, uint64_t g) {
  uint64_t x = (g * 2654435761ULL + 97) % 3600000000ULL;
  uint32_t road = (uint32_t)(x % 400), no = (uint32_t)(x / 400 % 300) + 1;
  uint32_t bldg = (uint32_t)(x / 120000 % 30) + 1, room = (uint32_t)(x / 3600000) + 101;
  uint64_t h = fr_gen_hash3(seed, FR_GEN_S_ENT, g ^ 0xadd7e55ULL);
  const char *city = cities[road % 16], *dist = districts[(road / 16) % 8];
  if (h % 7 == 0)
    snprintf(out, cap, "%s%s路%u号, %u栋%u室, %s区, %s市", syl1[road % 20], syl2[road / 20], no, bldg, room,
             dist, city);
  else
    snprintf(out, cap, "%s市%s区%s%s路%u号%u栋%u室", city, dist, syl1[road % 20], syl2[road / 20], no, bldg, room);
}

static char credit_check(const char *code17) {
  static const char cs[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int wt[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  int sum = 0;
  for (int k = 0; k < 17; k++) {
    const char *p = strchr(cs, code17[k]);
    sum += (int)(p - cs) * wt[k];
  }
  return cs[(31 - sum % 31) % 31];
}

static void person_id_no(char *out, uint32_t pidx) {
  static const int wt[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char chk[] = "10X98765432";
  uint64_t x = ((uint64_t)pidx * 7919ULL + 1) % 237000000ULL;
  int32_t bday = day_of(1940, 1, 1) + (int32_t)(x / 10 % 23700);
  int y, m, d;
  fr_gen_civil_from_days(&y, &m, &d, bday);
  snprintf(out, 24, "%s%04d%02d%02d%03u", regions[x % 10], y, m, d, (unsigned)(x / 237000));
  int sum = 0;
  for (int k = 0; k < 17; k++) sum += (out[k] - '0') * wt[k];
  out[17] = chk[sum % 11];
  out[18] = 0;
}

int32_t fr_gen_vendor_registered(const fr_gen_world *w, uint32_t vendor) {
  if (w->plant && vendor >= w->n_vendor_bg && vendor - w->n_vendor_bg < w->plant->n_vend) {
    int32_t reg = w->plant->vend[vendor - w->n_vendor_bg].registered;
    if (reg != FR_GEN_NODAY) return reg;
  }
  fr_gen_rng r = fr_gen_rng_at(w->seed, FR_GEN_S_ENT, 1000000ULL + vendor);
  return (int32_t)fr_gen_range(&r, day_of(1998, 1, 1),
                               day_of(FR_GEN_LAST_BG_REG_Y, FR_GEN_LAST_BG_REG_M, FR_GEN_LAST_BG_REG_D));
}

int32_t fr_gen_household_deceased(const fr_gen_world *w, uint32_t household) {
  fr_gen_rng r = fr_gen_rng_at(w->seed, FR_GEN_S_HH, 0x0dead00000000ULL + household);
  if (!fr_gen_chance(&r, 0.02)) return FR_GEN_NODAY;
  return (int32_t)fr_gen_range(&r, FR_GEN_DAY0 + 30, FR_GEN_DAY_END);
}

static void background_entity(const fr_gen_world *w, uint64_t key, fr_gen_entity *e) {
  uint64_t g = entity_number(key);
  uint32_t idx = FR_GEN_KEY_IDX(key);
  fr_gen_rng r = fr_gen_rng_at(w->seed, FR_GEN_S_ENT, g);
  int kind = FR_GEN_KEY_KIND(key);
  double p_nophone = 0, p_noaddr = 0, p_nobank = 0, p_noid = 0;
  fr_gen_key_fmt(e->id, key);
  e->registered = FR_GEN_NODAY;
  e->deceased = FR_GEN_NODAY;
  uint64_t digits8 = ((g / 20) * 48271ULL + 12345ULL) % 100000000ULL;
  uint64_t digits15 = (g * 998244353ULL + 12345ULL) % 1000000000000000ULL;
  if (kind == FR_GEN_K_ORG) {
    e->kind = "org";
    const char *city = cities[idx % 16], *dept = depts[(idx / 16) % NELEM(depts)];
    uint32_t round = idx / (16 * (uint32_t)NELEM(depts));
    if (round) snprintf(e->name, sizeof e->name, "%s%s(第%u分局)", city, dept, round + 1);
    else snprintf(e->name, sizeof e->name, "%s%s", city, dept);
    snprintf(e->phone, sizeof e->phone, "%s-8%07llu", city_area[idx % 16],
             (unsigned long long)(((uint64_t)idx * 48271ULL + 777ULL) % 10000000ULL));
    snprintf(e->bank, sizeof e->bank, "3100%015llu", (unsigned long long)digits15);
    char code[24];
    snprintf(code, sizeof code, "11%s%09llu", regions[idx % 10],
             (unsigned long long)(((uint64_t)idx * 7919ULL + 13ULL) % 1000000000ULL));
    code[17] = credit_check(code);
    code[18] = 0;
    memcpy(e->id_no, code, 19);
    address_of(e->address, sizeof e->address, w->seed, g);
    return;
  }
  if (kind == FR_GEN_K_VENDOR) {
    e->kind = "company";
    if (fr_gen_chance(&r, 0.08)) {
      const char *nm = en_names[fr_gen_below(&r, 8)], *ek = en_kinds[fr_gen_below(&r, 4)];
      if (fr_gen_chance(&r, 0.3)) snprintf(e->name, sizeof e->name, "\"%s\" %s", nm, ek);
      else snprintf(e->name, sizeof e->name, "%s %s", nm, ek);
    } else {
      const char *c = cities[fr_gen_below(&r, 16)];
      const char *w1 = cw1[fr_gen_below(&r, 16)];
      const char *w2 = cw2[fr_gen_below(&r, 16)];
      const char *ind = industries[fr_gen_below(&r, 12)];
      snprintf(e->name, sizeof e->name, "%s%s%s%s有限公司", c, w1, w2, ind);
    }
    e->registered = fr_gen_vendor_registered(w, idx);
    char code[24];
    snprintf(code, sizeof code, "91%s%09llu", regions[idx % 10],
             (unsigned long long)(((uint64_t)idx * 7919ULL + 13ULL) % 1000000000ULL));
    code[17] = credit_check(code);
    code[18] = 0;
    memcpy(e->id_no, code, 19);
    snprintf(e->bank, sizeof e->bank, "1100%015llu", (unsigned long long)digits15);
    p_nophone = 0.08, p_noaddr = 0.03, p_nobank = 0.03;
  } else {
    e->kind = "person";
    person_name(e->name, sizeof e->name, &r);
    person_id_no(e->id_no, idx);
    snprintf(e->bank, sizeof e->bank, "6222%015llu", (unsigned long long)digits15);
    if (idx < w->n_official) {
      /* officials: complete records */
    } else if (idx < w->off_household) {
      p_nophone = 0.2, p_noaddr = 0.05, p_nobank = 0.2;
    } else if (idx < w->off_owner) {
      p_nophone = 0.15, p_noaddr = 0.02, p_nobank = 0.03, p_noid = 0.01;
      e->deceased = fr_gen_household_deceased(w, idx - w->off_household);
    } else {
      p_nophone = 0.05, p_noaddr = 0.03, p_nobank = 0.1;
    }
  }
  snprintf(e->phone, sizeof e->phone, "%s%08llu", mobile[g % 20], (unsigned long long)digits8);
  address_of(e->address, sizeof e->address, w->seed, g);
  /* Planted entities start complete; their scenarios decide what is missing. */
  if ((kind == FR_GEN_K_VENDOR && idx >= w->n_vendor_bg) || (kind == FR_GEN_K_PERSON && idx >= w->n_person_bg))
    return;
  if (fr_gen_chance(&r, p_nophone)) e->phone[0] = 0;
  if (fr_gen_chance(&r, p_noaddr)) e->address[0] = 0;
  if (fr_gen_chance(&r, p_nobank)) e->bank[0] = 0;
  if (fr_gen_chance(&r, p_noid)) e->id_no[0] = 0;
}

void fr_gen_entity_get(const fr_gen_world *w, uint64_t key, fr_gen_entity *e) {
  background_entity(w, key, e);
  const fr_gen_pent *o = NULL;
  uint32_t idx = FR_GEN_KEY_IDX(key);
  if (w->plant && FR_GEN_KEY_KIND(key) == FR_GEN_K_VENDOR && idx >= w->n_vendor_bg)
    o = &w->plant->vend[idx - w->n_vendor_bg];
  if (w->plant && FR_GEN_KEY_KIND(key) == FR_GEN_K_PERSON && idx >= w->n_person_bg)
    o = &w->plant->pers[idx - w->n_person_bg];
  if (!o) return;
  if (o->registered != FR_GEN_NODAY) e->registered = o->registered;
  e->deceased = o->deceased;
  fr_gen_entity src;
  if (o->phone_from) {
    fr_gen_entity_get(w, o->phone_from, &src);
    memcpy(e->phone, src.phone, sizeof e->phone);
  }
  if (o->address_from) {
    fr_gen_entity_get(w, o->address_from, &src);
    memcpy(e->address, src.address, sizeof e->address);
  }
  if (o->bank_from) {
    fr_gen_entity_get(w, o->bank_from, &src);
    memcpy(e->bank, src.bank, sizeof e->bank);
  }
  if (o->idno_from) {
    fr_gen_entity_get(w, o->idno_from, &src);
    memcpy(e->id_no, src.id_no, sizeof e->id_no);
  }
  if (o->null_mask & FR_GEN_NULL_PHONE) e->phone[0] = 0;
  if (o->null_mask & FR_GEN_NULL_ADDRESS) e->address[0] = 0;
  if (o->null_mask & FR_GEN_NULL_BANK) e->bank[0] = 0;
  if (o->null_mask & FR_GEN_NULL_IDNO) e->id_no[0] = 0;
}

/* ---- small texts ----------------------------------------------------------- */

void fr_gen_village_name(char *out, uint32_t v) {
  uint32_t k = v % 6400, round = v / 6400;
  if (round)
    snprintf(out, 64, "%s%s%s村%u组", cities[k / 400], syl1[k % 20], syl2[(k / 20) % 20], round + 1);
  else
    snprintf(out, 64, "%s%s%s村", cities[k / 400], syl1[k % 20], syl2[(k / 20) % 20]);
}

void fr_gen_memo(char *out, size_t cap, uint64_t seed, uint64_t index) {
  fr_gen_rng r = fr_gen_rng_at(seed, FR_GEN_S_MEMO, index);
  unsigned t = (unsigned)fr_gen_below(&r, 14);
  unsigned n = (unsigned)fr_gen_range(&r, 1, 12);
  const char *city = cities[fr_gen_below(&r, 16)];
  switch (t) {
  case 0: snprintf(out, cap, "办公用品采购"); break;
  case 1: snprintf(out, cap, "支付%u月物业管理费", n); break;
  case 2: snprintf(out, cap, "设备维修费, 第%u批", n); break;
  case 3: snprintf(out, cap, "差旅费报销，%s", city); break;
  case 4: snprintf(out, cap, "Consulting fee, \"Phase %u\"", n); break;
  case 5: snprintf(out, cap, "Invoice settlement, incl. VAT"); break;
  case 6: snprintf(out, cap, "会议费 \"%s专题会\" 专项", city); break;
  case 7: snprintf(out, cap, "Software licence renewal"); break;
  case 8: snprintf(out, cap, "%s项目进度款(第%u期)", city, n); break;
  case 9: snprintf(out, cap, "印刷费, \"宣传册\" %u000份", n); break;
  case 10: snprintf(out, cap, "水电费 %u月", n); break;
  case 11: snprintf(out, cap, "培训费: \"%s\" session %u", city, n); break;
  default: out[0] = 0; break; /* NULL */
  }
}
