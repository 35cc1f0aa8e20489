-- 08_adversarial.sql - edges the other files miss: NULLs in every operator and
-- aggregate, integer/decimal typing and rounding, casts, UTF-8 strings, dates at
-- boundaries, ORDER BY/LIMIT/DISTINCT corners, NULL join keys, window frames over
-- ties and NULL order keys, empty inputs.  Format: see tests/sql/README.md.
-- Queries that ferret answers differently from DuckDB are kept, commented out, under
-- a `-- MISMATCH:` note saying what differs.

-- ---------------------------------------------------------------- NULLs

-- name: adv_null_count_forms
-- tags: null_aggregate null_semantics
SELECT count(*) AS n, count(approver) AS a, count(NULL) AS cn, count(CASE WHEN false THEN 1 END) AS cf,
       count(DISTINCT NULL) AS dn, count(1) AS c1 FROM payments;

-- name: adv_null_all_null_aggregates
-- tags: null_aggregate null_semantics
SELECT sum(amount) AS s, avg(amount) AS a, min(amount) AS lo, max(amount) AS hi, count(amount) AS c,
       count(DISTINCT amount) AS cd, median(amount) AS med, quantile_cont(amount, 0.5) AS q,
       stddev_samp(amount) AS sd, count(*) AS n FROM approvals WHERE amount IS NULL;

-- name: adv_null_sum_of_null_expression
-- tags: null_aggregate null_semantics
SELECT sum(CASE WHEN amount < 0 THEN amount END) AS s, min(CASE WHEN amount < 0 THEN memo END) AS m,
       max(CASE WHEN amount < 0 THEN ts END) AS t, avg(CASE WHEN amount < 0 THEN length(memo) END) AS a FROM payments;

-- name: adv_null_min_max_strings
-- tags: null_aggregate null_semantics
SELECT min(memo) AS lo, max(memo) AS hi, min(approver) AS a_lo, max(approver) AS a_hi, min(contract_id) AS c_lo,
       max(contract_id) AS c_hi, max(invoice_no) AS i_hi FROM payments;

-- name: adv_null_min_max_by_group
-- tags: null_aggregate null_semantics
SELECT org, min(contract_id) AS c_lo, max(contract_id) AS c_hi, count(contract_id) AS c FROM payments
GROUP BY org ORDER BY org;

-- name: adv_null_min_max_dates
-- tags: null_aggregate null_semantics
SELECT kind, min(deceased) AS d_lo, max(deceased) AS d_hi, min(registered) AS r_lo, count(deceased) AS nd
FROM entities GROUP BY kind ORDER BY kind;

-- name: adv_null_timestamps_aggregates
-- tags: null_aggregate null_semantics
SELECT method, min(awarded) AS lo, max(awarded) AS hi, count(awarded) AS c, median(awarded) AS med FROM tenders
GROUP BY method ORDER BY method;

-- name: adv_null_stddev_single_nonnull
-- tags: null_aggregate null_semantics
SELECT case_id, stddev_samp(amount) AS sd, count(amount) AS c FROM approvals WHERE case_id < 'C05'
GROUP BY case_id ORDER BY case_id;

-- name: adv_null_in_list_literals
-- tags: null_semantics
SELECT NULL IN (1, 2) AS a, 1 IN (1, NULL) AS b, 2 IN (1, NULL) AS c, 2 NOT IN (1, NULL) AS d, 1 NOT IN (1, NULL) AS e,
       NULL NOT IN (1) AS f, 3 IN (1, 2, 3) AS g, 'x' IN ('x') AS h;

-- name: adv_null_in_list_column
-- tags: null_semantics
SELECT txn_id, approver, approver IN ('P-0000005', NULL) AS a, approver NOT IN ('P-0000005', NULL) AS b,
       approver IN ('P-0000005') AS c, approver NOT IN ('P-0000005') AS d
FROM payments WHERE org = 'ORG-0001' ORDER BY approver NULLS FIRST, txn_id LIMIT 40;

-- name: adv_null_not_in_where_counts
-- tags: null_semantics
SELECT count(*) FILTER (WHERE approver NOT IN ('P-0000005')) AS a, count(*) FILTER (WHERE NOT (approver IN ('P-0000005'))) AS b,
       count(*) FILTER (WHERE approver IN ('P-0000005') IS NULL) AS c, count(*) FILTER (WHERE contract_id NOT IN ('x', 'y')) AS d
FROM payments;

-- name: adv_null_comparisons_literals
-- tags: null_semantics
SELECT NULL = NULL AS a, NULL <> 1 AS b, NULL < NULL AS c, NULL IS NULL AS d, NULL IS NOT NULL AS e,
       (NULL = 1) IS NULL AS f, NOT (NULL = 1) AS g, 1 + NULL AS h, NULL * 2.5 AS i, -NULL AS j;

-- name: adv_null_between
-- tags: null_semantics
SELECT 5 BETWEEN NULL AND 3 AS a, 5 BETWEEN NULL AND 10 AS b, 5 BETWEEN 1 AND NULL AS c, NULL BETWEEN 1 AND 2 AS d,
       5 NOT BETWEEN NULL AND 3 AS e, 5 BETWEEN 10 AND 1 AS f;

-- name: adv_null_like
-- tags: null_semantics
SELECT NULL LIKE '%' AS a, 'x' LIKE NULL AS b, NULL ILIKE 'a' AS c, NULL NOT LIKE 'x' AS d;

-- name: adv_null_case_forms
-- tags: null_semantics
SELECT CASE WHEN NULL THEN 'a' ELSE 'b' END AS a, CASE NULL WHEN NULL THEN 'x' ELSE 'y' END AS b,
       CASE 1 WHEN 2 THEN 'two' END AS c, CASE WHEN 1 = 1 THEN NULL ELSE 'z' END AS d,
       CASE WHEN NULL = NULL THEN 1 WHEN true THEN 2 END AS e;

-- name: adv_null_case_simple_column
-- tags: null_semantics
SELECT txn_id, CASE approver WHEN 'P-0000005' THEN 'five' WHEN NULL THEN 'null' END AS a,
       CASE WHEN approver IS NULL THEN 0 END AS b FROM payments WHERE org = 'ORG-0001'
ORDER BY approver NULLS FIRST, txn_id LIMIT 30;

-- name: adv_null_coalesce_forms
-- tags: null_semantics
SELECT COALESCE(NULL, NULL) AS a, COALESCE(NULL, 1, 2) AS b, COALESCE(NULL, 'x') AS c, COALESCE(1, NULL) AS d,
       COALESCE(NULL, 2.50, 3) AS e;

-- name: adv_null_coalesce_in_aggregate
-- tags: null_semantics null_aggregate
SELECT activity, sum(COALESCE(amount, 0)) AS s, avg(COALESCE(amount, 0)) AS a, count(COALESCE(amount, 0)) AS c
FROM approvals GROUP BY activity ORDER BY activity;

-- name: adv_null_coalesce_group_key
-- tags: null_semantics null_group_key
SELECT COALESCE(approver, 'none') AS who, count(*) AS n FROM payments GROUP BY COALESCE(approver, 'none')
ORDER BY n DESC, who LIMIT 10;

-- name: adv_nullif
-- tags: null_semantics extension
SELECT nullif(1, 1) AS a, nullif(1, 2) AS b, nullif(NULL, 1) AS c, nullif('x', 'x') AS d;

-- name: adv_nullif_column
-- tags: null_semantics extension
SELECT org, count(nullif(approver, requester)) AS n, sum(nullif(amount, 5.00)) AS s FROM payments GROUP BY org ORDER BY org;

-- name: adv_null_logic_table
-- tags: null_semantics
SELECT txn_id, approver IS NULL AS an, (approver = 'x') OR true AS a, (approver = 'x') AND false AS b,
       (approver = 'x') OR false AS c, (approver = 'x') AND true AS d, NOT (approver = 'x') AS e
FROM payments WHERE approver IS NULL ORDER BY txn_id LIMIT 10;

-- name: adv_null_arith_column
-- tags: null_semantics arith_decimal
SELECT case_id, ts, activity, actor, amount / 2 AS d, amount // 2 AS q, amount % 3 AS m, amount - amount AS z,
       abs(amount) AS a, floor(amount) AS f FROM approvals WHERE case_id < 'C02' ORDER BY case_id, ts, activity, actor;

-- name: adv_null_group_two_nullable_keys
-- tags: null_group_key null_semantics
SELECT registered IS NULL AS r, deceased, count(*) AS n FROM entities GROUP BY registered IS NULL, deceased
ORDER BY r, deceased NULLS FIRST;

-- name: adv_null_having_null_aggregate
-- tags: null_aggregate null_semantics
SELECT service, sum(amount) AS s FROM approvals GROUP BY service HAVING sum(amount) IS NOT NULL ORDER BY service;

-- name: adv_null_count_distinct_all_null_groups
-- tags: null_aggregate null_semantics
SELECT kind, count(DISTINCT deceased) AS d, count(DISTINCT registered) AS r FROM entities GROUP BY kind ORDER BY kind;

-- name: adv_null_order_strings_nulls_first_desc
-- tags: null_semantics
SELECT txn_id, contract_id FROM payments WHERE org = 'ORG-0002'
ORDER BY contract_id DESC NULLS FIRST, txn_id DESC LIMIT 30;

-- name: adv_null_order_two_nullable_keys
-- tags: null_semantics
SELECT org, post, official, start_date, end_date FROM posts
ORDER BY end_date NULLS FIRST, start_date DESC NULLS LAST, org, post, official LIMIT 60;

-- name: adv_null_order_default_desc
-- tags: null_semantics
SELECT tender_id, awarded FROM tenders ORDER BY awarded DESC, tender_id LIMIT 30 OFFSET 240;

-- ---------------------------------------------------------------- integers, decimals, casts

-- name: adv_int_literal_typing
-- tags: arith_int
SELECT 2147483647 + 0 AS a, 2147483648 AS b, -2147483648 AS c, 9223372036854775807 AS d, -9223372036854775807 - 1 AS e,
       3000000000 * 3 AS f;

-- name: adv_int_div_mod_signs
-- tags: arith_int
SELECT -7 / 2 AS a, 7 / -2 AS b, -7 // -2 AS c, -7 % -3 AS d, 0 // 5 AS e, 0 % 5 AS f, -1 // 3 AS g, 1 // -3 AS h,
       -6 // 3 AS i, -6 % 3 AS j;

-- name: adv_int_div_mod_column
-- tags: arith_int
SELECT id, length(name) - 5 AS x, (length(name) - 5) // 3 AS q, (length(name) - 5) % 3 AS r, (length(name) - 5) / 3 AS d,
       (length(name) - 5) // -3 AS q2, (length(name) - 5) % -3 AS r2 FROM entities ORDER BY id LIMIT 40;

-- name: adv_int_sum_avg_types
-- tags: arith_int
SELECT sum(length(name)) AS s, avg(length(name)) AS a, min(length(name)) AS lo, max(length(name)) AS hi,
       sum(length(name) * 1000000000000) AS big FROM entities;

-- name: adv_int_bigint_mul
-- tags: arith_int
SELECT id, length(name) * 1000000000 AS a, length(name) * -46116860184273879 // 64 AS b, -length(name) * 92233720368547758 AS c
FROM entities ORDER BY id LIMIT 5;

-- name: adv_dec_literal_arith
-- tags: arith_decimal
SELECT 0.1 + 0.2 = 0.3 AS a, 0.1 + 0.2 AS b, 1.5 * 2 AS c, 10.0 / 4 AS d, 2.50 + 1 AS e, 1.0 * 3.00 AS f,
       0.10 - 0.3 AS g, -0.5 * -0.5 AS h;

-- name: adv_dec_scales
-- tags: arith_decimal
SELECT txn_id, amount * 0.001 AS a, amount * 1.50 AS b, amount + 0.005 AS c, amount - 1.5 AS d, amount * -1 AS e,
       amount * 0 AS f FROM payments ORDER BY txn_id LIMIT 20;

-- name: adv_dec_div_int
-- tags: arith_decimal
SELECT txn_id, amount / 4 AS a, amount / -3 AS b, amount // 4 AS c, amount // -3 AS d, -amount // 3 AS e,
       amount % -7 AS f, -amount % -7 AS g FROM payments ORDER BY txn_id LIMIT 30;

-- name: adv_dec_div_zero
-- tags: arith_decimal null_semantics
SELECT txn_id, amount // 0 AS a, -amount / 0 AS b, (amount - amount) / 0 AS c, amount % 0.00 AS d FROM payments
ORDER BY txn_id LIMIT 3;

-- name: adv_dec_compare_mixed_scale
-- tags: arith_decimal
SELECT count(*) FILTER (WHERE amount = 2576.020) AS a, count(*) FILTER (WHERE amount > 2576.0199) AS b,
       count(*) FILTER (WHERE amount = 2576) AS c, count(*) FILTER (WHERE amount < 5.001) AS d,
       count(*) FILTER (WHERE amount = CAST(2576.02 AS DOUBLE)) AS e FROM payments;

-- name: adv_dec_round_negative
-- tags: arith_decimal
SELECT txn_id, round(-amount) AS a, round(-amount, 1) AS b, round(-amount, -1) AS c, abs(-amount) AS d,
       floor(-amount) AS e, ceil(-amount) AS f, round(amount, 5) AS g FROM payments ORDER BY txn_id LIMIT 30;

-- name: adv_dec_round_literal_halves
SELECT round(-0.5) AS a, round(0.5) AS b, round(1.45, 1) AS c, round(-1.45, 1) AS d, round(0.05, 1) AS e,
       round(-0.05, 1) AS f, round(99.5) AS g, round(-99.5) AS h, round(1234.5, -1) AS i, round(-1250, -2) AS j;

-- name: adv_double_round_halves
SELECT round(CAST(2.5 AS DOUBLE)) AS a, round(CAST(-2.5 AS DOUBLE)) AS b, round(CAST(0.125 AS DOUBLE), 2) AS c,
       round(CAST(-0.5 AS DOUBLE)) AS d, floor(CAST(-0.5 AS DOUBLE)) AS e, ceil(CAST(-0.5 AS DOUBLE)) AS f,
       abs(CAST(-0.0 AS DOUBLE)) AS g;

-- name: adv_cast_double_to_int_half_even
SELECT CAST(CAST(2.5 AS DOUBLE) AS BIGINT) AS a, CAST(CAST(-2.5 AS DOUBLE) AS BIGINT) AS b,
       CAST(CAST(3.5 AS DOUBLE) AS BIGINT) AS c, CAST(CAST(-3.5 AS DOUBLE) AS INTEGER) AS d,
       CAST(CAST(0.49999999 AS DOUBLE) AS BIGINT) AS e, CAST(-0.5 AS INTEGER) AS f, CAST(0.5 AS BIGINT) AS g;

-- name: adv_cast_decimal_rescale
SELECT CAST(12.35 AS DECIMAL(18,1)) AS a, CAST(-12.35 AS DECIMAL(18,1)) AS b, CAST('12.345' AS DECIMAL(18,2)) AS c,
       CAST('-12.345' AS DECIMAL(18,2)) AS d, CAST(7 AS DECIMAL(18,2)) AS e, CAST(CAST(1.005 AS DOUBLE) AS DECIMAL(18,2)) AS f;

-- name: adv_cast_amount_rescale
SELECT txn_id, CAST(amount AS DECIMAL(18,0)) AS a, CAST(amount AS DECIMAL(18,1)) AS b, CAST(amount AS DECIMAL(18,4)) AS c
FROM payments ORDER BY txn_id LIMIT 20;

-- name: adv_cast_string_numbers
SELECT CAST('+5' AS INTEGER) AS a, CAST('1e3' AS DOUBLE) AS b, CAST(' 12.5 ' AS DOUBLE) AS c, CAST('-0' AS INTEGER) AS d,
       CAST('  42' AS BIGINT) AS e, CAST('007' AS INTEGER) AS f, CAST('-1.5e-3' AS DOUBLE) AS g;

-- name: adv_cast_string_bool
SELECT CAST('TRUE' AS BOOLEAN) AS a, CAST('t' AS BOOLEAN) AS b, CAST('0' AS BOOLEAN) AS c, CAST('False' AS BOOLEAN) AS d,
       CAST('1' AS BOOLEAN) AS e;

-- name: adv_cast_to_varchar
SELECT CAST(-0.05 AS VARCHAR) AS a, CAST(CAST(-0.05 AS DECIMAL(18,2)) AS VARCHAR) AS b, CAST(true AS VARCHAR) AS c,
       CAST(DATE '2024-02-29' AS VARCHAR) AS d, CAST(-42 AS VARCHAR) AS e, CAST(TIMESTAMP '2024-01-01 00:00:00' AS VARCHAR) AS f;

-- name: adv_cast_double_to_varchar
SELECT CAST(CAST(0.1 AS DOUBLE) AS VARCHAR) AS a, CAST(CAST(1e20 AS DOUBLE) AS VARCHAR) AS b, CAST(1.0 / 3 AS VARCHAR) AS c,
       CAST(CAST(100 AS DOUBLE) AS VARCHAR) AS d, CAST(1e-7 AS VARCHAR) AS e, CAST(CAST(-2.5 AS DOUBLE) AS VARCHAR) AS f;

-- name: adv_cast_amount_double_varchar
SELECT txn_id, CAST(CAST(amount AS DOUBLE) AS VARCHAR) AS s, CAST(amount / 3 AS VARCHAR) AS t FROM payments
ORDER BY txn_id LIMIT 20;

-- name: adv_cast_varchar_roundtrip_group
SELECT CAST(CAST(amount AS VARCHAR) AS DECIMAL(18,2)) = amount AS same, count(*) AS n FROM payments GROUP BY same ORDER BY same;

-- name: adv_cast_int_to_double_and_back
-- tags: arith_int
SELECT id, CAST(length(name) AS DOUBLE) / 2 AS d, CAST(CAST(length(name) AS DOUBLE) / 2 AS BIGINT) AS b,
       CAST(length(name) AS DECIMAL(18,2)) / 2 AS dd FROM entities ORDER BY id LIMIT 30;

-- name: adv_cast_date_ts
SELECT CAST(DATE '2024-02-29' AS TIMESTAMP) AS a, CAST(TIMESTAMP '2024-02-29 23:59:59.999999' AS DATE) AS b,
       CAST('2024-02-29' AS TIMESTAMP) AS d;

-- name: adv_double_specials
SELECT 1e308 * 10 AS a, -1e308 * 10 AS b, CAST(0 AS DOUBLE) / 0 AS c, 1 / 0 AS d, CAST(-0.0 AS DOUBLE) AS e;

-- name: adv_unary_minus
-- tags: arith_decimal arith_int
SELECT - -5 AS a, -(-2.50) AS b, -(3 - 5) AS c, - CAST(2 AS DOUBLE) AS d, 2 - -2 AS e;

-- name: adv_precedence
-- tags: arith_int
SELECT 2 + 3 * 4 AS a, (2 + 3) * 4 AS b, 2 * 3 % 4 AS c, 2 + 3 % 4 AS d, 20 // 3 * 3 AS e, -2 * -3 AS f, 8 / 2 / 2 AS g,
       (1 < 2) = true AS h, NOT 1 = 2 AS i, 2 - 3 - 4 AS j;

-- ---------------------------------------------------------------- strings

-- name: adv_str_length_utf8
SELECT length('') AS a, length(CAST(NULL AS VARCHAR)) AS b, length('中文') AS c, length('😀') AS d, length('é') AS e, length(' ') AS f,
       length('a b') AS g;

-- name: adv_str_substr_edges
SELECT substr('hello', 0) AS a, substr('hello', -10, 3) AS b, substr('hello', 2, 0) AS c, substr('hello', 0, 1) AS d,
       substr('hello', 6) AS e, substr('hello', -5) AS f, substr('hello', -6, 3) AS g, substr('hello', 3, -2) AS h,
       substr('hello', 1, -1) AS i, substr('', 1, 1) AS j;

-- name: adv_str_substr_utf8_edges
SELECT substr('中文字符', -2) AS a, substr('中文字符', 0, 2) AS b, substr('中文字符', 4, 5) AS c, substr('😀a😀', 2, 1) AS d,
       substr(CAST(NULL AS VARCHAR), 1, 2) AS e, substr('abc', NULL) AS f;

-- name: adv_str_substr_columns
SELECT id, substr(name, -2) AS a, substr(name, 0, 3) AS b, substr(address, length(address) - 2) AS c,
       substr(name, length(name) + 1) AS d FROM entities ORDER BY id LIMIT 60;

-- name: adv_str_upper_lower_ascii
SELECT upper('abc-xyz_09') AS a, lower('ABC-XYZ_09') AS b, upper('') AS c, lower(CAST(NULL AS VARCHAR)) AS d, upper('中文') AS e;

-- name: adv_str_upper_lower_non_ascii
SELECT upper('éàü') AS a, lower('ÀÉÎ') AS b, upper('àb') AS c, lower('ÀB') AS d, lower('ΣΑΣ') AS e, upper('ǆ') AS f;

-- name: adv_str_lower_in_where
SELECT count(*) AS n FROM payments WHERE lower('ÀB' || org) = 'àborg-0001';

-- name: adv_str_ilike_non_ascii
SELECT 'ÀB' ILIKE 'àb' AS a, 'ÉCOLE' ILIKE 'école' AS b, 'abc' ILIKE 'A_C' AS c, 'ǅ' ILIKE 'ǆ' AS d;

-- name: adv_str_like_multibyte_underscore
SELECT '中文' LIKE '__' AS a, '中文' LIKE '_' AS b, '中文' LIKE '___' AS c, '😀' LIKE '_' AS d, 'é' LIKE '_' AS e;

-- name: adv_str_like_specials
SELECT 'a%b' LIKE 'a\%b' AS a, 'a\b' LIKE 'a\b' AS b, 'abc' LIKE '' AS c, '' LIKE '%' AS d, 'a.c' LIKE 'a.c' AS e,
       'abc' LIKE 'a.c' AS f, 'a[b]' LIKE 'a[b]' AS g, 'abc' LIKE '%%' AS h, 'abc' LIKE 'a%%c' AS i, 'a*c' LIKE 'a*c' AS j,
       'abc' LIKE 'ABC' AS k, 'ab' LIKE 'a_%' AS l, 'a' LIKE 'a_%' AS m;

-- name: adv_str_like_column_patterns
SELECT count(*) FILTER (WHERE payee LIKE '%') AS a, count(*) FILTER (WHERE payee LIKE '_%_') AS b,
       count(*) FILTER (WHERE memo LIKE '%') AS c, count(*) FILTER (WHERE memo LIKE '') AS d,
       count(*) FILTER (WHERE memo NOT LIKE '%') AS e, count(*) FILTER (WHERE payee LIKE 'V-%0') AS f,
       count(*) FILTER (WHERE payee LIKE 'v-%') AS g, count(*) FILTER (WHERE payee ILIKE 'v-%') AS h FROM payments;

-- name: adv_str_like_utf8_column
SELECT count(*) FILTER (WHERE name LIKE '%公司') AS a, count(*) FILTER (WHERE name LIKE '_公司%') AS b,
       count(*) FILTER (WHERE address LIKE '%市%区%') AS c, count(*) FILTER (WHERE name LIKE '__') AS d FROM entities;

-- name: adv_str_compare_bytes
SELECT 'B' < 'a' AS a, '' < 'a' AS b, 'a' < 'a ' AS c, 'é' > 'z' AS d, 'Z' < 'a' AS e, 'abc' < 'abd' AS f,
       'ab' < 'abc' AS g, '中' > 'z' AS h, '10' < '9' AS i;

-- name: adv_str_quotes_commas_newlines
SELECT 'a,b' AS a, 'say "hi"' AS b, 'line1
line2' AS c, '' AS d, ' ' AS e, 'it''s' AS f;

-- name: adv_str_concat_null
-- tags: extension null_semantics
SELECT 'a' || NULL AS a, NULL || 'b' AS b, 'a' || '' AS c, concat('a', NULL, 'b') AS d, 'x' || 1 AS e;

-- name: adv_str_trim
-- tags: extension
SELECT trim('  a b  ') AS a, trim('') AS b, trim(CAST(NULL AS VARCHAR)) AS c, length(trim('   ')) AS d;

-- name: adv_str_equality_empty_vs_null
-- tags: null_semantics
SELECT count(*) FILTER (WHERE memo = '') AS a, count(*) FILTER (WHERE memo IS NULL) AS b, count(*) FILTER (WHERE memo <> '') AS c,
       count(*) FILTER (WHERE length(memo) = 0) AS d FROM payments;

-- name: adv_str_functions_on_numbers_cast
SELECT txn_id, length(CAST(amount AS VARCHAR)) AS a, substr(CAST(amount AS VARCHAR), -2) AS cents,
       upper(CAST(ts AS VARCHAR)) AS b FROM payments ORDER BY txn_id LIMIT 20;

-- ---------------------------------------------------------------- dates and timestamps

-- name: adv_ts_literals_micros
SELECT TIMESTAMP '2024-01-01 00:00:00.5' AS a, TIMESTAMP '2024-01-01 00:00:00.000001' AS b, TIMESTAMP '2024-02-29T23:59:59' AS c,
       TIMESTAMP '1969-12-31 23:59:59' AS d, DATE '0001-01-01' AS e, DATE '9999-12-31' AS f;

-- name: adv_ts_cast_varchar_fraction
SELECT CAST(TIMESTAMP '2024-01-01 00:00:00.5' AS VARCHAR) AS a, CAST(TIMESTAMP '2024-01-01 00:00:00.123456' AS VARCHAR) AS b;

-- name: adv_ts_date_trunc_boundaries
SELECT date_trunc('week', DATE '2024-01-01') AS a, date_trunc('week', TIMESTAMP '2024-03-03 23:59:59') AS b,
       date_trunc('quarter', DATE '2024-02-29') AS c, date_trunc('year', DATE '2024-02-29') AS d,
       date_trunc('month', TIMESTAMP '2024-12-31 23:59:59.999999') AS e, date_trunc('day', TIMESTAMP '2024-02-29 00:00:00') AS f,
       date_trunc('week', DATE '2023-01-01') AS g, date_trunc('hour', TIMESTAMP '1969-12-31 23:30:00') AS h;

-- name: adv_ts_date_trunc_fine
SELECT date_trunc('second', TIMESTAMP '2024-01-01 10:11:12.999999') AS a, date_trunc('minute', TIMESTAMP '2024-01-01 10:11:12') AS b,
       date_trunc('millisecond', TIMESTAMP '2024-01-01 10:11:12.123456') AS c, date_trunc('day', DATE '2024-05-17') AS d;

-- name: adv_ts_date_trunc_null
-- tags: null_semantics
SELECT tender_id, date_trunc('month', awarded) AS m, date_part('year', awarded) AS y, strftime(awarded, '%Y') AS s FROM tenders
WHERE awarded IS NULL ORDER BY tender_id;

-- name: adv_ts_extract_boundaries
SELECT extract(dow FROM DATE '2024-03-03') AS a, extract(isodow FROM DATE '2024-03-03') AS b, extract(week FROM DATE '2021-01-03') AS c,
       extract(week FROM DATE '2024-12-30') AS d, extract(doy FROM DATE '2024-02-29') AS e, extract(doy FROM DATE '2024-12-31') AS f,
       extract(quarter FROM DATE '2024-10-01') AS g, extract(year FROM DATE '0001-01-01') AS h;

-- name: adv_ts_extract_epoch
SELECT extract(epoch FROM TIMESTAMP '1970-01-01 00:00:00') AS a, extract(epoch FROM TIMESTAMP '1969-12-31 23:59:59.5') AS b,
       extract(epoch FROM DATE '2024-02-29') AS c, extract(epoch FROM TIMESTAMP '2024-01-01 00:00:00.25') AS d;

-- name: adv_ts_extract_fine
SELECT extract(second FROM TIMESTAMP '2024-01-01 10:11:12.75') AS a, extract(minute FROM TIMESTAMP '2024-01-01 10:11:12') AS b,
       extract(hour FROM TIMESTAMP '2024-01-01 00:00:00') AS c, extract(millisecond FROM TIMESTAMP '2024-01-01 10:11:12.345678') AS d,
       extract(microsecond FROM TIMESTAMP '2024-01-01 10:11:12.345678') AS e;

-- name: adv_ts_extract_isoyear
SELECT extract(isoyear FROM DATE '2021-01-03') AS a, extract(isoyear FROM DATE '2024-12-30') AS b, date_part('yearweek', DATE '2021-01-03') AS c;

-- name: adv_ts_date_part_pre_1970
SELECT date_part('year', TIMESTAMP '1969-12-31 23:59:59') AS a, date_part('dow', DATE '1969-12-31') AS b,
       date_part('day', DATE '1900-02-28') AS c, date_part('doy', DATE '1900-12-31') AS d, date_part('week', DATE '1900-01-01') AS e;

-- name: adv_ts_extract_on_date_columns
-- tags: null_semantics
SELECT a, b, kind, extract(year FROM since) AS y, extract(week FROM since) AS w, extract(dow FROM until) AS d,
       date_part('doy', since) AS doy FROM relations ORDER BY a, b, kind, since NULLS FIRST LIMIT 50;

-- name: adv_ts_compare_date_literal
SELECT count(*) FILTER (WHERE ts = DATE '2023-01-02') AS a, count(*) FILTER (WHERE ts < DATE '2023-01-03') AS b,
       count(*) FILTER (WHERE ts <= '2023-01-03') AS c, count(*) FILTER (WHERE ts > '2024-12-31 17:25:39') AS d,
       count(*) FILTER (WHERE CAST(ts AS DATE) = DATE '2023-01-03') AS e, count(*) FILTER (WHERE ts BETWEEN DATE '2024-01-01' AND DATE '2024-01-02') AS f
FROM payments;

-- name: adv_ts_date_vs_timestamp
SELECT count(*) FILTER (WHERE registered < TIMESTAMP '2020-01-01 00:00:01') AS a, count(*) FILTER (WHERE registered = TIMESTAMP '2020-01-01 00:00:00') AS b,
       count(*) FILTER (WHERE registered >= '2020-01-01') AS c FROM entities;

-- name: adv_ts_midnight_values
SELECT CAST(ts AS DATE) = ts AS at_midnight, count(*) AS n FROM subsidies GROUP BY at_midnight ORDER BY at_midnight;

-- name: adv_ts_strftime_specifiers
SELECT strftime(TIMESTAMP '2024-02-29 00:05:09', '%Y-%m-%d %H:%M:%S') AS a, strftime(DATE '2024-12-31', '%j') AS b,
       strftime(TIMESTAMP '2024-03-03 13:00:00', '%a %A %b %B %I %p') AS c, strftime(TIMESTAMP '2024-03-03 00:30:00', '%I %p') AS d,
       strftime(TIMESTAMP '2024-01-07 00:00:00', '%w %u') AS e, strftime(DATE '2024-02-29', '%y%m%d') AS f,
       strftime(TIMESTAMP '2024-01-01 00:00:00', '100%%') AS g;

-- name: adv_ts_strftime_more
SELECT strftime(TIMESTAMP '2024-01-01 10:11:12.345678', '%f') AS a, strftime(DATE '2024-01-05', '%-d/%-m') AS b,
       strftime(DATE '2024-01-07', '%V %G %u %w') AS d, strftime(TIMESTAMP '2024-01-07 13:14:15.5', '%-H %-M %-S %g %h %T') AS e,
       strftime(TIMESTAMP '2024-12-30 00:00:00', '%G-W%V-%u') AS f;

-- name: adv_ts_strftime_missing_specifiers
SELECT strftime(DATE '2024-01-07', '%U %W') AS a, strftime(TIMESTAMP '2021-01-03 00:00:00', '%U %W') AS b,
       strftime(TIMESTAMP '2024-01-07 13:14:15', '%c|%x|%X') AS c, strftime(TIMESTAMP '2024-01-07 13:14:15.123456', '%n') AS d;

-- name: adv_ts_strftime_unpadded_day_hour_year
SELECT strftime(TIMESTAMP '2024-01-07 13:14:15', '%-j %-I %-y') AS a;

-- name: adv_ts_strftime_column_null
-- tags: null_semantics
SELECT id, strftime(deceased, '%d.%m.%Y') AS d FROM entities WHERE kind = 'person' ORDER BY deceased NULLS LAST, id LIMIT 15;

-- name: adv_ts_group_by_week
SELECT date_trunc('week', ts) AS wk, count(*) AS n FROM payments WHERE ts < '2023-03-01' GROUP BY wk ORDER BY wk;

-- name: adv_ts_interval_add
-- tags: extension
SELECT DATE '2024-01-31' + INTERVAL 1 MONTH AS a, TIMESTAMP '2024-02-29 12:00:00' + INTERVAL 1 YEAR AS b,
       TIMESTAMP '2024-03-01 00:00:00' - INTERVAL 1 DAY AS c, DATE '2024-03-01' - INTERVAL '1 month' AS d;

-- ---------------------------------------------------------------- ORDER BY, LIMIT, DISTINCT

-- name: adv_order_alias_shadows_column
SELECT txn_id, -amount AS amount FROM payments ORDER BY amount, txn_id LIMIT 10;

-- name: adv_order_by_expression_not_selected
SELECT txn_id FROM payments ORDER BY length(memo) DESC NULLS LAST, txn_id LIMIT 15;

-- name: adv_order_bool_nulls
-- tags: null_semantics
SELECT tender_id, awarded IS NULL AS na, won FROM (SELECT t.tender_id, t.awarded, b.won FROM tenders t LEFT JOIN bids b ON b.tender_id = t.tender_id AND b.won) x
ORDER BY won DESC NULLS FIRST, tender_id LIMIT 30;

-- name: adv_limit_offset_corners
SELECT txn_id FROM payments ORDER BY txn_id LIMIT 0 OFFSET 5;

-- name: adv_offset_past_end_empty
SELECT tender_id FROM tenders ORDER BY tender_id LIMIT 5 OFFSET 1000;

-- name: adv_topk_nulls_first_desc
-- tags: null_semantics
SELECT id, deceased FROM entities ORDER BY deceased NULLS FIRST, id DESC LIMIT 5 OFFSET 4950;

-- name: adv_topk_nulls_last_limit
-- tags: null_semantics
SELECT tender_id, awarded FROM tenders ORDER BY awarded NULLS LAST, tender_id LIMIT 5 OFFSET 255;

-- name: adv_distinct_nulls_expression
-- tags: null_semantics
SELECT DISTINCT substr(contract_id, 1, 3) AS p FROM payments ORDER BY p NULLS FIRST;

-- name: adv_distinct_order_limit
SELECT DISTINCT currency, org FROM payments ORDER BY org DESC, currency LIMIT 7;

-- name: adv_distinct_decimal_values
SELECT DISTINCT amount FROM bids ORDER BY amount LIMIT 10;

-- name: adv_distinct_star
SELECT DISTINCT * FROM posts ORDER BY org, post, official, start_date NULLS FIRST LIMIT 20;

-- ---------------------------------------------------------------- GROUP BY, HAVING

-- name: adv_group_by_expression_and_select_expr
SELECT substr(payee, 1, 5) AS p, count(*) AS n, upper(substr(payee, 1, 5)) AS u FROM payments GROUP BY substr(payee, 1, 5)
ORDER BY p;

-- name: adv_group_by_ordinal
-- tags: extension
SELECT currency, count(*) AS n, sum(amount) AS s FROM payments GROUP BY 1 ORDER BY 1;

-- name: adv_group_by_alias_shadows_column
SELECT lower(org) AS org, count(*) AS n FROM payments GROUP BY org ORDER BY org LIMIT 5;

-- name: adv_group_by_column_not_selected_expr
SELECT count(*) AS n, max(amount) AS hi FROM payments GROUP BY org, currency HAVING count(*) > 450 ORDER BY n, hi;

-- name: adv_having_without_group_empty
SELECT count(*) AS n FROM payments HAVING count(*) > 1000000;

-- name: adv_having_without_group_zero_rows
SELECT count(*) AS n, sum(amount) AS s FROM payments WHERE org = 'none' HAVING count(*) = 0;

-- name: adv_having_alias
SELECT org, sum(amount) AS total FROM payments GROUP BY org HAVING total > 9000000 ORDER BY org;

-- name: adv_group_by_bool_expression
SELECT amount > 10000 AS big, memo IS NULL AS no_memo, count(*) AS n FROM payments GROUP BY amount > 10000, memo IS NULL
ORDER BY big, no_memo;

-- name: adv_group_by_decimal_expr
-- tags: arith_decimal
SELECT floor(amount / 100000) AS bucket, count(*) AS n FROM payments GROUP BY bucket ORDER BY bucket;

-- name: adv_agg_of_constant
SELECT count(1) AS a, sum(1) AS b, sum(2.5) AS c, min('x') AS d, max(NULL) AS e, avg(3) AS f FROM payments;

-- name: adv_agg_nested_expression
-- tags: arith_decimal
SELECT org, sum(amount) - sum(amount) AS z, max(amount) / min(amount) AS ratio, count(*) + count(approver) AS c2,
       round(avg(amount), 2) AS ra, sum(amount) * 1.5 AS s15 FROM payments GROUP BY org ORDER BY org LIMIT 10;

-- name: adv_median_decimal_floor
SELECT tender_id, median(amount) AS med, quantile_cont(amount, 0.5) AS q, quantile_cont(amount, 0.33) AS q33 FROM bids
GROUP BY tender_id ORDER BY tender_id LIMIT 40;

-- name: adv_median_negative_decimal
-- tags: arith_decimal
SELECT tender_id, median(-amount) AS med, quantile_cont(-amount, 0.25) AS q FROM bids GROUP BY tender_id ORDER BY tender_id LIMIT 40;

-- name: adv_median_two_values_literal
SELECT median(x) AS m FROM (SELECT CASE WHEN txn_id = 'T000000000001' THEN 1.50 ELSE 2.25 END AS x FROM payments WHERE txn_id <= 'T000000000002') t;

-- name: adv_median_timestamp_rounding
SELECT median(t) AS m, quantile_cont(t, 0.7) AS q7, quantile_cont(t, 0.3) AS q3
FROM (SELECT CASE WHEN txn_id = 'T000000000001' THEN TIMESTAMP '2024-01-01 00:00:00' ELSE TIMESTAMP '2024-01-01 00:00:00.000003' END AS t
      FROM payments WHERE txn_id <= 'T000000000002') x;

-- name: adv_quantile_timestamp
SELECT quantile_cont(ts, 0.5) AS q, quantile_cont(ts, 0.1) AS q1, median(CAST(ts AS DATE)) AS md FROM payments;

-- name: adv_stddev_constant_group
SELECT currency, stddev_samp(0 * amount) AS sd, stddev_samp(CAST(1 AS DOUBLE)) AS sd1 FROM payments GROUP BY currency ORDER BY currency;

-- name: adv_count_distinct_multiple
SELECT count(DISTINCT org) AS a, count(DISTINCT payee) AS b, count(DISTINCT CAST(p.ts AS DATE)) AS c, count(DISTINCT p.amount > 1000) AS d,
       count(DISTINCT won) AS e FROM payments p LEFT JOIN bids b ON b.bidder = p.payee AND b.amount = p.amount;

-- ---------------------------------------------------------------- joins

-- A LEFT JOIN's ON condition on the left table only does not filter the left
-- rows: a row for which it is not true (false or NULL) keeps its place with NULLs
-- on the right.

-- name: adv_join_left_on_left_filter
SELECT p.txn_id, p.amount, e.kind FROM payments p LEFT JOIN entities e ON p.payee = e.id AND p.amount > 1000000
WHERE p.org = 'ORG-0001' ORDER BY p.txn_id LIMIT 40;

-- name: adv_join_left_on_left_filter_counts
-- tags: null_join_key null_semantics
SELECT count(*) AS n, count(e.id) AS matched, count(DISTINCT e.kind) AS kinds, sum(p.amount) AS total
FROM payments p LEFT JOIN entities e ON e.id = p.payee AND p.approver > 'P-0000500' AND p.amount >= 1000;

-- name: adv_join_left_on_constant_and_both_sides
-- tags: null_semantics
SELECT p.org, count(*) AS n, count(e.id) AS none_matched, count(r.a) AS rel
FROM payments p LEFT JOIN entities e ON p.payee = e.id AND 1 = 0
LEFT JOIN relations r ON r.b = p.payee AND r.kind = 'spouse' AND p.requester IS NOT NULL
GROUP BY p.org ORDER BY n DESC, p.org LIMIT 15;

-- name: adv_join_left_guard_on_earlier_join
-- tags: null_join_key null_semantics
SELECT count(*) AS n, count(e.id) AS payees, count(a.id) AS approvers
FROM payments p LEFT JOIN entities e ON e.id = p.payee AND p.amount > 100000
LEFT JOIN entities a ON a.id = p.approver AND e.kind = 'company';

-- name: adv_join_left_on_right_filter
SELECT p.txn_id, e.id, e.kind FROM payments p LEFT JOIN entities e ON p.payee = e.id AND e.kind = 'person'
WHERE p.org = 'ORG-0003' ORDER BY p.txn_id LIMIT 40;

-- name: adv_join_null_key_left_count
-- tags: null_join_key null_semantics
SELECT count(*) AS n, count(b.txn_id) AS matched FROM payments a LEFT JOIN payments b ON a.contract_id = b.contract_id;

-- name: adv_join_null_keys_date
-- tags: null_join_key null_semantics
SELECT a.org, a.post, a.official, b.official AS prev FROM posts a LEFT JOIN posts b
ON a.org = b.org AND a.post = b.post AND a.start_date = b.end_date
ORDER BY a.org, a.post, a.official, prev NULLS FIRST LIMIT 60;

-- name: adv_join_decimal_key
SELECT b.tender_id, b.bidder, t.tender_id AS t2 FROM bids b JOIN tenders t ON t.reserve_price = b.amount ORDER BY b.tender_id, b.bidder, t2;

-- name: adv_join_timestamp_key
SELECT count(*) AS n FROM payments a JOIN payments b ON a.ts = b.ts AND a.txn_id < b.txn_id;

-- name: adv_join_date_to_cast_key
SELECT count(*) AS n, count(DISTINCT e.id) AS ents FROM payments p JOIN entities e ON CAST(p.ts AS DATE) = e.registered;

-- name: adv_join_expression_keys
SELECT count(*) AS n FROM payments p JOIN entities e ON lower(p.payee) = lower(e.id);

-- name: adv_join_empty_cte_left
WITH none AS (SELECT id, kind FROM entities WHERE 1 = 0)
SELECT count(*) AS n, count(none.id) AS m, max(none.kind) AS k FROM payments p LEFT JOIN none ON none.id = p.payee;

-- name: adv_join_empty_cte_inner
WITH none AS (SELECT id, kind FROM entities WHERE 1 = 0)
SELECT count(*) AS n, sum(p.amount) AS s FROM payments p JOIN none ON none.id = p.payee;

-- name: adv_join_left_group_by_right_null
-- tags: null_join_key null_group_key
SELECT e.kind, count(*) AS n, sum(p.amount) AS s FROM payments p LEFT JOIN entities e ON e.id = p.approver
GROUP BY e.kind ORDER BY e.kind NULLS FIRST;

-- name: adv_join_left_chain_null_propagation
-- tags: null_join_key
SELECT p.txn_id, c.tender_id, b.bidder FROM payments p LEFT JOIN tenders c ON c.tender_id = p.contract_id
LEFT JOIN bids b ON b.tender_id = c.tender_id AND b.won WHERE p.org = 'ORG-0004' ORDER BY p.txn_id LIMIT 30;

-- name: adv_join_where_is_null_antijoin
SELECT count(*) AS n FROM entities e LEFT JOIN payments p ON p.payee = e.id WHERE p.txn_id IS NULL;

-- name: adv_join_cte_shadows_table
WITH payments AS (SELECT txn_id, org, amount FROM payments WHERE amount > 2000000)
SELECT count(*) AS n, sum(amount) AS s FROM payments;

-- name: adv_join_subquery_order_limit
SELECT t.txn_id, t.amount, e.kind FROM (SELECT txn_id, payee, amount FROM payments ORDER BY amount DESC, txn_id LIMIT 10) t
LEFT JOIN entities e ON e.id = t.payee ORDER BY t.amount DESC, t.txn_id;

-- ---------------------------------------------------------------- CTEs and subqueries

-- name: adv_cte_chain_three
WITH a AS (SELECT org, amount FROM payments WHERE amount > 100000), b AS (SELECT org, count(*) AS n FROM a GROUP BY org),
c AS (SELECT n, count(*) AS orgs FROM b GROUP BY n) SELECT n, orgs FROM c ORDER BY n;

-- name: adv_subquery_distinct_count_nulls
-- tags: null_semantics
SELECT count(*) AS n, count(approver) AS a FROM (SELECT DISTINCT approver FROM payments) t;

-- name: adv_cte_window_then_aggregate
WITH r AS (SELECT org, amount, rank() OVER (PARTITION BY org ORDER BY amount DESC) AS rk FROM payments)
SELECT rk, count(*) AS n FROM r WHERE rk <= 3 GROUP BY rk ORDER BY rk;

-- ---------------------------------------------------------------- windows

-- name: adv_win_rank_vs_row_number_ties
SELECT txn_id, CAST(ts AS DATE) AS d, rank() OVER (ORDER BY CAST(ts AS DATE)) AS rk,
       row_number() OVER (ORDER BY CAST(ts AS DATE), txn_id) AS rn FROM payments WHERE org = 'ORG-0001' ORDER BY txn_id LIMIT 60;

-- name: adv_win_rank_without_order
SELECT tender_id, rank() OVER (PARTITION BY org) AS r, rank() OVER () AS r2 FROM tenders ORDER BY tender_id LIMIT 20;

-- name: adv_win_rank_desc_nulls
-- tags: null_semantics
SELECT tender_id, awarded, rank() OVER (ORDER BY awarded DESC) AS r1, rank() OVER (ORDER BY awarded NULLS FIRST) AS r2,
       rank() OVER (ORDER BY awarded DESC NULLS LAST) AS r3 FROM tenders ORDER BY tender_id;

-- name: adv_win_range_default_ties
SELECT txn_id, sum(amount) OVER (ORDER BY CAST(ts AS DATE)) AS s, count(*) OVER (ORDER BY CAST(ts AS DATE)) AS c
FROM payments WHERE org = 'ORG-0002' ORDER BY txn_id;

-- name: adv_win_range_null_order_keys
-- tags: null_semantics
SELECT tender_id, awarded, sum(reserve_price) OVER (ORDER BY awarded) AS s, count(*) OVER (ORDER BY awarded NULLS FIRST) AS c,
       count(awarded) OVER (ORDER BY awarded DESC) AS c2 FROM tenders ORDER BY tender_id;

-- name: adv_win_range_explicit_null_keys
-- tags: null_semantics
SELECT tender_id, count(*) OVER (ORDER BY awarded RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS a,
       count(*) OVER (ORDER BY awarded RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS b,
       count(*) OVER (ORDER BY awarded NULLS FIRST RANGE BETWEEN CURRENT ROW AND CURRENT ROW) AS c FROM tenders ORDER BY tender_id;

-- name: adv_win_range_numeric_nulls
-- tags: null_semantics
SELECT case_id, ts, activity, actor, count(*) OVER (PARTITION BY service ORDER BY amount RANGE BETWEEN 100 PRECEDING AND 100 FOLLOWING) AS n,
       sum(amount) OVER (PARTITION BY service ORDER BY amount RANGE BETWEEN 50 PRECEDING AND CURRENT ROW) AS s
FROM approvals WHERE case_id < 'C03' ORDER BY case_id, ts, activity, actor;

-- name: adv_win_range_desc_numeric
SELECT txn_id, amount, count(*) OVER (PARTITION BY org ORDER BY amount DESC RANGE BETWEEN 1000 PRECEDING AND CURRENT ROW) AS n,
       sum(amount) OVER (PARTITION BY org ORDER BY amount DESC RANGE BETWEEN CURRENT ROW AND 500 FOLLOWING) AS s
FROM payments WHERE org < 'ORG-0004' ORDER BY txn_id;

-- name: adv_win_range_interval_desc
SELECT txn_id, count(*) OVER (PARTITION BY payee ORDER BY ts DESC RANGE BETWEEN INTERVAL 30 DAYS PRECEDING AND CURRENT ROW) AS n
FROM payments WHERE org = 'ORG-0005' ORDER BY txn_id;

-- name: adv_win_range_zero_offset
SELECT txn_id, count(*) OVER (PARTITION BY org ORDER BY amount RANGE BETWEEN 0 PRECEDING AND 0 FOLLOWING) AS peers FROM payments
WHERE org = 'ORG-0006' ORDER BY txn_id;

-- name: adv_win_rows_empty_frames
-- tags: null_semantics
SELECT txn_id, sum(amount) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 3 FOLLOWING AND 5 FOLLOWING) AS f,
       count(*) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 5 PRECEDING AND 3 PRECEDING) AS p,
       max(amount) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 2 FOLLOWING AND 2 FOLLOWING) AS m
FROM payments WHERE org = 'ORG-0007' ORDER BY txn_id;

-- name: adv_win_rows_null_values
-- tags: null_semantics
SELECT case_id, ts, activity, actor, sum(amount) OVER (PARTITION BY case_id ORDER BY ts, activity, actor ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s,
       count(amount) OVER (PARTITION BY case_id ORDER BY ts, activity, actor ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS c,
       avg(amount) OVER (PARTITION BY case_id) AS a FROM approvals WHERE case_id < 'C02' ORDER BY case_id, ts, activity, actor;

-- name: adv_win_lag_lead_defaults_offsets
SELECT txn_id, lag(amount, 0) OVER (ORDER BY txn_id) AS l0, lag(amount, 3, -1) OVER (ORDER BY txn_id) AS l3,
       lead(txn_id, 2, 'none') OVER (ORDER BY txn_id) AS n2, lead(amount, 1, NULL) OVER (ORDER BY txn_id) AS n1,
       lag(ts, 100000) OVER (ORDER BY txn_id) AS far FROM payments WHERE org = 'ORG-0008' ORDER BY txn_id LIMIT 40;

-- name: adv_win_lag_default_type_cast
SELECT id, lag(length(name), 1, 2.5) OVER (ORDER BY id) AS a, lag(amount, 1, 1.005) OVER (ORDER BY id) AS b
FROM (SELECT e.id, e.name, 12.50 AS amount FROM entities e) t ORDER BY id LIMIT 5;

-- name: adv_win_lag_negative_offset
SELECT txn_id, lag(txn_id, -1) OVER (ORDER BY txn_id) AS a, lead(txn_id, -1) OVER (ORDER BY txn_id) AS b FROM payments ORDER BY txn_id LIMIT 5;

-- name: adv_win_lag_partition_bounds
-- tags: null_semantics
SELECT tender_id, bidder, lag(bidder) OVER (PARTITION BY tender_id ORDER BY bidder) AS prev,
       lead(amount, 1, 0) OVER (PARTITION BY tender_id ORDER BY bidder) AS next_amount FROM bids ORDER BY tender_id, bidder LIMIT 60;

-- name: adv_win_lag_null_values_default
-- tags: null_semantics
SELECT case_id, ts, activity, actor, lag(amount, 1, -1) OVER (PARTITION BY case_id ORDER BY ts, activity, actor) AS p
FROM approvals WHERE case_id < 'C02' ORDER BY case_id, ts, activity, actor;

-- name: adv_win_in_expression
SELECT txn_id, amount - lag(amount) OVER (PARTITION BY payee ORDER BY ts, txn_id) AS delta,
       amount / sum(amount) OVER (PARTITION BY payee) AS share FROM payments WHERE org = 'ORG-0009' ORDER BY txn_id LIMIT 40;

-- name: adv_win_min_max_strings
-- tags: null_semantics
SELECT txn_id, min(memo) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS lo,
       max(contract_id) OVER (PARTITION BY org) AS hi FROM payments WHERE org = 'ORG-0010' ORDER BY txn_id LIMIT 40;

-- name: adv_win_over_empty_input
SELECT txn_id, row_number() OVER (ORDER BY txn_id) AS rn, sum(amount) OVER () AS s FROM payments WHERE amount < 0;

-- name: adv_win_order_by_window_result
SELECT org, count(*) AS n, rank() OVER (ORDER BY count(*) DESC) AS r FROM payments GROUP BY org ORDER BY r, org LIMIT 10;

-- name: adv_win_partition_by_expression
SELECT txn_id, count(*) OVER (PARTITION BY amount > 10000, currency) AS n, row_number() OVER (PARTITION BY substr(payee, 1, 6) ORDER BY txn_id) AS rn
FROM payments ORDER BY txn_id LIMIT 50;

-- name: adv_win_sum_integer_type
-- tags: arith_int
SELECT id, sum(length(name)) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s,
       avg(length(name)) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS a FROM entities ORDER BY id LIMIT 20;

-- ---------------------------------------------------------------- empty inputs

-- name: adv_empty_group_by_no_rows
SELECT org, count(*) AS n, sum(amount) AS s FROM payments WHERE amount < 0 GROUP BY org ORDER BY org;

-- name: adv_empty_all_aggregates
-- tags: null_aggregate null_semantics
SELECT count(*) AS n, count(DISTINCT payee) AS d, sum(amount) AS s, avg(amount) AS a, min(memo) AS m, max(ts) AS t,
       median(ts) AS mt, quantile_cont(amount, 0.9) AS q, stddev_samp(amount) AS sd, sum(length(memo)) AS sl FROM payments WHERE false;

-- name: adv_empty_join_result
SELECT p.txn_id, e.kind FROM payments p JOIN entities e ON e.id = p.payee WHERE p.amount < 0 ORDER BY p.txn_id;

-- name: adv_empty_where_null
SELECT count(*) AS n FROM payments WHERE NULL;

-- name: adv_select_no_from_expressions
SELECT 1 AS a, 'x' AS b, NULL AS c, 1 = 1 AS d, length('abc') AS e, upper('q') AS f, 2.50 * 2 AS g;

-- ---------------------------------------------------------------- more casts, literals, types

-- name: adv_cast_string_to_int_nonplain
SELECT CAST('1.5' AS INTEGER) AS a, CAST('2.5' AS BIGINT) AS b, CAST('1e3' AS INTEGER) AS c, CAST('0x10' AS INTEGER) AS d;

-- name: adv_cast_string_double_specials
SELECT CAST('inf' AS DOUBLE) AS a, CAST('-Infinity' AS DOUBLE) AS b, CAST('NaN' AS DOUBLE) IS NULL AS c;

-- name: adv_cast_string_timestamp_to_date
SELECT CAST('2024-02-29 13:14:15' AS DATE) AS a;

-- name: adv_compare_date_column_with_timestamp_string
SELECT count(*) AS n FROM entities WHERE registered > '2020-01-01 12:00:00';

-- name: adv_ts_literal_without_seconds
SELECT TIMESTAMP '2024-01-01 10:11' AS a, CAST('2024-01-01 10:11' AS TIMESTAMP) AS b;

-- name: adv_ts_literal_seven_fraction_digits
SELECT TIMESTAMP '2024-01-01 00:00:00.1234567' AS a;

-- name: adv_hugeint_literals
-- tags: arith_int
SELECT 9223372036854775808 AS a, -9223372036854775809 AS b, -9223372036854775807 - 1 AS c;

-- MISMATCH: an integer literal of 39 digits becomes DOUBLE. ferret 1.7014118346046923e+38; DuckDB HUGEINT 170141183460469231731687303715884105727 (38 digits stay exact).
-- (query adv_hugeint_literal_max)
--   -- tags: arith_int
--   SELECT 170141183460469231731687303715884105727 AS a;

-- name: adv_sum_bigint_beyond_int64
-- tags: arith_int
SELECT sum(9000000000000000000) AS a, sum(CAST(9000000000000000000 AS BIGINT)) AS b, avg(CAST(9000000000000000000 AS BIGINT)) AS c
FROM payments;

-- name: adv_round_double_large_negative_digits
SELECT round(CAST(12.5 AS DOUBLE), -400) AS a;

-- name: adv_round_double_digits
SELECT round(CAST(12345.678 AS DOUBLE), -2) AS a, round(CAST(12345.678 AS DOUBLE), 1) AS b, round(CAST(-12345.678 AS DOUBLE), -20) AS c,
       round(CAST(0.000123456 AS DOUBLE), 5) AS d, round(CAST(1e300 AS DOUBLE), 2) AS e;

-- name: adv_decimal_case_coalesce_scales
SELECT txn_id, CASE WHEN amount > 1000 THEN 1.5 ELSE 2.25 END AS a, COALESCE(amount, 0.5) AS b, COALESCE(amount, 0.125) AS c,
       CASE WHEN amount > 100000 THEN amount ELSE 0.125 END AS d FROM payments ORDER BY txn_id LIMIT 20;

-- name: adv_coalesce_date_timestamp
-- tags: null_semantics
SELECT id, COALESCE(deceased, TIMESTAMP '2000-01-01 10:00:00') AS a, COALESCE(registered, deceased) AS b FROM entities ORDER BY id LIMIT 20;

-- name: adv_decimal_intdiv_decimal
-- tags: arith_decimal
SELECT txn_id, amount // 0.3 AS a, 7 // 2.0 AS b, 7.5 % 2 AS c, -7.5 // 2 AS d FROM payments ORDER BY txn_id LIMIT 10;

-- name: adv_string_number_compare
SELECT count(*) FILTER (WHERE amount > '1000') AS a, count(*) FILTER (WHERE amount > '1000.5') AS b, count(*) FILTER (WHERE ts > '2024-06-30 23:59:59.5') AS c
FROM payments;

-- name: adv_pre_1970
SELECT CAST(TIMESTAMP '1969-12-31 23:59:59' AS DATE) AS a, date_trunc('day', TIMESTAMP '1969-12-31 12:00:00') AS b,
       extract(hour FROM TIMESTAMP '1969-12-31 23:00:00') AS c, date_part('second', TIMESTAMP '1969-12-31 23:59:58.5') AS d,
       strftime(TIMESTAMP '1969-12-31 23:59:59', '%Y-%m-%d %H:%M:%S %j %a') AS e, extract(epoch FROM DATE '1969-12-31') AS f,
       date_trunc('month', TIMESTAMP '1900-03-15 01:02:03') AS g, date_trunc('week', DATE '1900-01-03') AS h;

-- name: adv_bool_compare
SELECT tender_id, bidder, won = true AS a, won > false AS b, NOT won AS c, won IS NULL AS d FROM bids ORDER BY tender_id, bidder LIMIT 10;

-- name: adv_duplicate_output_names
SELECT txn_id, txn_id, 1 AS a, 2 AS a FROM payments ORDER BY txn_id LIMIT 3;

-- name: adv_order_by_aggregate_not_selected
SELECT org FROM payments GROUP BY org ORDER BY sum(amount) DESC, org LIMIT 5;

-- name: adv_distinct_order_by_function_of_column
SELECT DISTINCT org FROM payments ORDER BY lower(org) LIMIT 3;

-- name: adv_long_in_list
SELECT count(*) FILTER (WHERE payee IN ('V-0000000', 'V-0000007', 'V-0000014', 'V-0000021', 'V-0000028', 'V-0000035', 'V-0000042',
  'V-0000049', 'V-0000056', 'V-0000063', 'V-0000070', 'V-0000077', 'V-0000084', 'V-0000091', 'V-0000098', 'V-0000105', 'V-0000112',
  'V-0000119', 'V-0000126', 'V-0000133', 'V-0000140', 'V-0000147', 'V-0000154', 'V-0000161', 'V-0000168', 'V-0000175', 'V-0000182',
  'V-0000189', 'V-0000196', 'V-0000203', 'V-0000210', 'V-0000217', 'V-0000224', 'V-0000231', 'V-0000238', 'V-0000245', NULL)) AS a,
  count(*) FILTER (WHERE amount NOT IN (5.00, 10.00, 15.00, 20.00, 25.00, 30.00, 35.00, 40.00, 45.00, 50.00, 55.00, 60.00, 65.00,
  70.00, 75.00, 80.00, 85.00, 90.00, 95.00, 100.00, 2576.02, 54670.42)) AS b FROM payments;

-- name: adv_nested_parentheses_60
SELECT ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1 + 2)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))) * 3 AS a;

-- name: adv_nested_parentheses_120
SELECT ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))) AS a;

-- ---------------------------------------------------------------- more window frames

-- name: adv_win_range_end_preceding_numeric
SELECT txn_id, count(*) OVER (PARTITION BY org ORDER BY amount RANGE BETWEEN 1000 PRECEDING AND 10 PRECEDING) AS c,
       sum(amount) OVER (PARTITION BY org ORDER BY amount RANGE BETWEEN 1000 PRECEDING AND 10 PRECEDING) AS s
FROM payments WHERE org = 'ORG-0001' ORDER BY txn_id LIMIT 40;

-- name: adv_win_range_end_preceding_interval
SELECT txn_id, count(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1 day' PRECEDING AND INTERVAL '1 hour' PRECEDING) AS c
FROM payments ORDER BY txn_id LIMIT 40;

-- name: adv_win_range_start_following_numeric
SELECT txn_id, count(*) OVER (PARTITION BY org ORDER BY amount RANGE BETWEEN 10 FOLLOWING AND 1000 FOLLOWING) AS c
FROM payments WHERE org = 'ORG-0001' ORDER BY txn_id LIMIT 40;

-- name: adv_win_range_start_following_interval
SELECT txn_id, count(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1 hour' FOLLOWING AND INTERVAL '1 day' FOLLOWING) AS c
FROM payments ORDER BY txn_id LIMIT 40;

-- name: adv_win_range_desc_end_preceding
SELECT txn_id, count(*) OVER (ORDER BY ts DESC RANGE BETWEEN INTERVAL '1 day' PRECEDING AND INTERVAL '1 hour' PRECEDING) AS c
FROM payments ORDER BY txn_id LIMIT 40;

-- name: adv_win_range_desc_start_following
SELECT txn_id, count(*) OVER (ORDER BY ts DESC RANGE BETWEEN INTERVAL '1 hour' FOLLOWING AND INTERVAL '1 day' FOLLOWING) AS c
FROM payments ORDER BY txn_id LIMIT 40;

-- name: adv_win_rows_end_preceding
SELECT txn_id, count(*) OVER (ORDER BY txn_id ROWS BETWEEN 5 PRECEDING AND 2 PRECEDING) AS c,
       sum(amount) OVER (ORDER BY txn_id ROWS BETWEEN 2 FOLLOWING AND 4 FOLLOWING) AS s FROM payments ORDER BY txn_id LIMIT 20;

-- name: adv_win_rows_huge_following
SELECT txn_id, count(*) OVER (ORDER BY txn_id ROWS BETWEEN CURRENT ROW AND 9223372036854775807 FOLLOWING) AS c FROM payments
ORDER BY txn_id LIMIT 3;

-- name: adv_win_rows_huge_preceding
SELECT txn_id, count(*) OVER (ORDER BY txn_id ROWS BETWEEN 9223372036854775807 PRECEDING AND CURRENT ROW) AS c FROM payments
ORDER BY txn_id LIMIT 3;

-- name: adv_win_range_huge_offset_decimal
SELECT txn_id, count(*) OVER (ORDER BY amount RANGE BETWEEN 100000000000000000 PRECEDING AND CURRENT ROW) AS c FROM payments
ORDER BY txn_id LIMIT 3;

-- name: adv_win_range_int_key
SELECT id, count(*) OVER (ORDER BY length(name) RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS c,
       count(*) OVER (PARTITION BY kind ORDER BY length(name) DESC RANGE BETWEEN 2 PRECEDING AND CURRENT ROW) AS d FROM entities ORDER BY id LIMIT 40;

-- name: adv_win_range_decimal_fraction_offset
SELECT txn_id, count(*) OVER (ORDER BY amount RANGE BETWEEN 0.5 PRECEDING AND 0.5 FOLLOWING) AS c FROM payments ORDER BY txn_id LIMIT 40;

-- name: adv_win_range_interval_date_key_nulls
-- tags: null_semantics
SELECT id, count(*) OVER (ORDER BY registered RANGE BETWEEN INTERVAL 365 DAYS PRECEDING AND CURRENT ROW) AS c,
       count(registered) OVER (PARTITION BY kind ORDER BY registered DESC RANGE BETWEEN INTERVAL 30 DAYS PRECEDING AND INTERVAL 30 DAYS FOLLOWING) AS d
FROM entities ORDER BY id LIMIT 60;

-- ---------------------------------------------------------------- sanitizer findings

-- name: adv_ubsan_null_literal_string_args
SELECT length(NULL) AS a, substr(NULL, 1, 2) AS b, lower(NULL) AS c, upper(NULL) AS d, trim(NULL) AS e;

-- name: adv_ubsan_negate_int64_min
SELECT -9223372036854775808 AS a, -(-9223372036854775808) AS b;

-- ---------------------------------------------------------------- window prefix arrays
-- A window aggregate keeps counts only when its argument has NULLs (else a
-- frame's count is its length), sums only for sum / avg: each form once with
-- and once without NULLs in the argument, and with an argument NULL everywhere.

-- name: adv_window_sum_avg_count_null_args
-- tags: frame_rows null_semantics
SELECT txn_id,
       sum(CASE WHEN approver IS NULL THEN NULL ELSE amount END) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s,
       avg(CASE WHEN approver IS NULL THEN NULL ELSE amount END) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS a,
       count(approver) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS c,
       count(org) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS c_all,
       sum(amount) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s_all
FROM payments ORDER BY txn_id LIMIT 200;

-- name: adv_window_sum_all_null_arg
-- tags: frame_range null_semantics
SELECT txn_id, sum(CAST(NULL AS DECIMAL(18,2))) OVER (PARTITION BY org ORDER BY ts RANGE BETWEEN INTERVAL 7 DAYS PRECEDING AND CURRENT ROW) AS s,
       avg(CAST(NULL AS DOUBLE)) OVER (PARTITION BY org ORDER BY ts) AS a,
       count(CAST(NULL AS BIGINT)) OVER (PARTITION BY org) AS c
FROM payments ORDER BY txn_id LIMIT 50;

-- ---------------------------------------------------------------- IS [NOT] DISTINCT FROM, nested comments
-- Null-safe comparisons: two NULLs are not distinct, a NULL and a value are;
-- never NULL themselves.  Pushed to a scan they must not skip row groups by zone
-- map as `=` would (a NULL constant matches the NULL rows), and in ON they are
-- not join keys.

-- name: adv_is_distinct_from_columns
-- tags: null_semantics comparison
SELECT txn_id, approver, requester, approver IS DISTINCT FROM requester AS d, approver IS NOT DISTINCT FROM requester AS nd,
       NULL IS DISTINCT FROM NULL AS nn, amount IS NOT DISTINCT FROM NULL AS an
FROM payments WHERE approver IS NULL OR requester IS NULL OR approver = requester ORDER BY txn_id LIMIT 60;

-- name: adv_is_distinct_from_filters
-- tags: null_semantics comparison
SELECT count(*) AS n,
       count(*) FILTER (WHERE contract_id IS NOT DISTINCT FROM NULL) AS no_contract,
       count(*) FILTER (WHERE approver IS DISTINCT FROM 'P-0000004') AS not_p4,
       count(*) FILTER (WHERE amount IS DISTINCT FROM 100.00) AS not_100,
       count(*) FILTER (WHERE CAST(ts AS DATE) IS NOT DISTINCT FROM DATE '2024-03-01') AS on_day
FROM payments;

-- name: adv_is_not_distinct_from_where_null
-- tags: null_semantics
SELECT org, count(*) AS n FROM payments WHERE case_id IS NOT DISTINCT FROM NULL AND memo IS DISTINCT FROM NULL
GROUP BY org ORDER BY n DESC, org LIMIT 10;

-- name: adv_is_distinct_from_real_log
-- requires: ox_q1
SELECT count(*) AS n, count(*) FILTER (WHERE a.supplier_id IS DISTINCT FROM b.supplier_id) AS differ,
       count(*) FILTER (WHERE a.supplier_name IS NOT DISTINCT FROM b.supplier_name) AS same_name
FROM ox_q1 a JOIN ox_q1 b ON a.trans_no = b.trans_no AND a.amount = b.amount;

-- name: adv_nested_block_comment
SELECT /* outer /* inner */ still comment */ count(*) AS n /**/ FROM payments /* a /* b /* c */ */ */;

-- name: adv_is_not_distinct_from_in_on
-- tags: null_join_key null_semantics
SELECT count(*) AS n, count(a.contract_id) AS with_contract FROM payments a
JOIN payments b ON a.txn_id = b.txn_id AND a.contract_id IS NOT DISTINCT FROM b.contract_id;

-- ---------------------------------------------------------------- GROUP BY ALL, ORDER BY ALL
-- DuckDB's shorthands: GROUP BY ALL groups by every select item without an
-- aggregate; ORDER BY ALL orders by every select item, left to right.

-- name: adv_group_by_all
SELECT org, CAST(ts AS DATE) AS d, count(*) AS n, sum(amount) AS total FROM payments
WHERE org < 'ORG-0005' GROUP BY ALL ORDER BY org, d;

-- name: adv_group_by_all_expression_items
SELECT upper(org) AS o, amount > 100000 AS big, count(*) + 1 AS n1 FROM payments GROUP BY ALL ORDER BY ALL;

-- name: adv_group_by_all_only_aggregates
SELECT count(*) AS n, max(amount) AS hi FROM payments GROUP BY ALL;

-- name: adv_group_by_all_star
SELECT * FROM posts GROUP BY ALL ORDER BY ALL;

-- name: adv_order_by_all_desc_nulls
-- tags: null_semantics
SELECT approver, requester, txn_id FROM payments WHERE org = 'ORG-0002' ORDER BY ALL DESC NULLS FIRST LIMIT 30;

-- name: adv_order_by_all_having
SELECT payee, count(*) AS n FROM payments GROUP BY ALL HAVING count(*) > 3 ORDER BY ALL DESC LIMIT 20;

-- ---------------------------------------------------------------- left(), right()
-- LEFT and RIGHT are join words and, before '(', functions: characters (code
-- points), a negative count keeping all but that many from the other end.

-- name: adv_left_right_functions
SELECT id, name, left(name, 2) AS l2, right(name, 2) AS r2, left(name, -1) AS lm1, right(name, -3) AS rm3,
       left(name, 0) AS l0, left(name, 100) AS l100, left(CAST(NULL AS VARCHAR), 1) AS ln, right(name, CAST(NULL AS BIGINT)) AS rn
FROM entities ORDER BY id LIMIT 60;

-- name: adv_left_right_in_join_query
SELECT left(p.payee, 4) AS prefix, count(*) AS n, count(e.id) AS known FROM payments p LEFT JOIN entities e ON e.id = p.payee
GROUP BY left(p.payee, 4) ORDER BY prefix;

-- ---------------------------------------------------------------- date_diff
-- DuckDB's date_diff / datediff: the part's boundaries crossed from start to
-- end (week: whole weeks between the days), negative backwards; dates count
-- from midnight.

-- name: adv_date_diff_parts
SELECT date_diff('week', DATE '2024-01-01', DATE '2024-01-07') AS w1, date_diff('week', DATE '2024-01-03', DATE '2024-01-08') AS w3,
       date_diff('week', TIMESTAMP '2024-01-01 10:00:00', TIMESTAMP '2024-01-08 09:00:00') AS w4, date_diff('weeks', DATE '2024-01-08', DATE '2024-01-01') AS w5,
       date_diff('quarter', DATE '2024-03-31', DATE '2024-04-01') AS q, date_diff('day', TIMESTAMP '2024-01-02 01:00:00', TIMESTAMP '2024-01-01 23:00:00') AS dneg,
       date_diff('hour', TIMESTAMP '2024-01-01 11:00:00', TIMESTAMP '2024-01-01 10:59:00') AS hneg,
       date_diff('second', TIMESTAMP '2024-01-01 10:00:00.9', TIMESTAMP '2024-01-01 10:00:01.1') AS s,
       date_diff('millisecond', TIMESTAMP '2024-01-01 10:00:00.0009', TIMESTAMP '2024-01-01 10:00:00.0011') AS ms,
       date_diff('year', DATE '2023-12-31', TIMESTAMP '2024-01-01 00:00:00') AS y, datediff('days', DATE '2024-01-01', DATE '2024-03-01') AS d2,
       date_diff('decade', DATE '2019-12-31', DATE '2020-01-01') AS de, date_diff('microseconds', TIMESTAMP '1969-12-31 23:59:59.5', TIMESTAMP '1970-01-01 00:00:01') AS us,
       date_diff('minute', TIMESTAMP '1969-12-31 23:59:59', TIMESTAMP '1970-01-01 00:00:00') AS mneg_epoch,
       date_diff('month', DATE '2024-01-31', '2024-02-01') AS mo, date_diff('MONTH', DATE '2023-02-28', DATE '2024-02-01') AS mo2,
       date_diff('day', NULL, DATE '2024-01-01') AS dn;

-- name: adv_date_diff_columns
-- tags: null_semantics
SELECT txn_id, ts, date_diff('day', ts, TIMESTAMP '2025-01-01 00:00:00') AS days_left, date_diff('hour', TIMESTAMP '2024-06-30 12:30:00', ts) AS h,
       date_diff('week', CAST(ts AS DATE), DATE '2024-12-31') AS wk, date_diff('month', ts, TIMESTAMP '2024-12-31 00:00:00') AS mo,
       date_diff('quarter', ts, TIMESTAMP '2025-01-01 00:00:00') AS q
FROM payments ORDER BY txn_id LIMIT 80;

-- name: adv_date_diff_approvals
SELECT case_id, date_diff('day', min(ts), max(ts)) AS span_days, date_diff('second', min(ts), max(ts)) AS span_s
FROM approvals GROUP BY case_id ORDER BY span_days DESC, case_id LIMIT 30;

-- name: adv_date_diff_entities_dates
-- tags: null_semantics
SELECT id, registered, deceased, date_diff('year', registered, DATE '2024-12-31') AS age_years,
       date_diff('month', registered, deceased) AS months_to_death
FROM entities ORDER BY id LIMIT 60;

-- ---------------------------------------------------------------- sum(boolean)
-- DuckDB sums a boolean as the number of its true values (HUGEINT), in a group,
-- with DISTINCT and over a window frame; NULLs are not counted.

-- name: adv_sum_boolean
-- tags: null_semantics
SELECT org, sum(amount > 100000) AS big, sum(approver IS NULL) AS no_approver, sum(approver = requester) AS self,
       sum(DISTINCT amount > 1000000) AS any_huge, sum(CAST(NULL AS BOOLEAN)) AS none
FROM payments GROUP BY org ORDER BY big DESC, org LIMIT 20;

-- name: adv_sum_boolean_window
-- tags: null_semantics frame_rows
SELECT txn_id, sum(approver = requester) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS self4
FROM payments ORDER BY txn_id LIMIT 100;

-- name: adv_sum_avg_computed_nulls_no_group
-- tags: null_semantics
-- A NULL made by an expression (NULL + 5, a cast of a NULL comparison) may
-- hold any value in its slot; sum / avg / count without GROUP BY must skip it.
SELECT sum(CASE WHEN approver IS NULL THEN NULL ELSE 0 END + CASE WHEN approver IS NULL THEN 5 ELSE 0 END) AS s,
       avg(CASE WHEN approver IS NULL THEN NULL ELSE 1 END + CASE WHEN approver IS NULL THEN 7 ELSE 0 END) AS a,
       sum(CAST(approver = requester AS BIGINT)) AS self, sum(length(approver) * 0 + 1) AS with_approver,
       count(length(approver) * 0 + 1) AS c
FROM payments;

-- name: adv_computed_nulls_everywhere
-- tags: null_semantics
-- NULLs made by expressions whose value slots hold non-zero values, through
-- CASE, NOT, COALESCE, IN, GROUP BY, DISTINCT, ORDER BY and lag.
WITH t AS (SELECT txn_id, org, length(approver) * 0 + 7 AS x, CAST(approver = requester AS BIGINT) + 3 AS y,
                  NOT (approver = requester) AS nb FROM payments)
SELECT x, y, nb, count(*) AS n, count(DISTINCT x) AS dx, sum(CASE WHEN x > 0 THEN 1 ELSE 0 END) AS pos,
       sum(CASE WHEN nb THEN 1 ELSE 0 END) AS nbt, sum(coalesce(x, 100)) AS cx, count(*) FILTER (WHERE y IN (3, 4)) AS yin,
       min(x) AS mn, max(y) AS mx
FROM t GROUP BY x, y, nb ORDER BY x NULLS FIRST, y NULLS FIRST, nb NULLS FIRST;

-- name: adv_computed_nulls_lag_order
-- tags: null_semantics frame_rows
WITH t AS (SELECT txn_id, org, length(approver) * 0 + 7 AS x FROM payments)
SELECT txn_id, x, lag(x) OVER (PARTITION BY org ORDER BY txn_id) AS px, sum(x) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s3
FROM t ORDER BY x NULLS FIRST, txn_id LIMIT 80;

-- name: adv_computed_nulls_join_key
-- tags: null_join_key null_semantics
SELECT count(*) AS n, count(e.id) AS m FROM payments p LEFT JOIN entities e ON e.id = CASE WHEN p.approver IS NULL THEN NULL ELSE p.payee END;

-- ---------------------------------------------------------------- UNION [ALL]
-- Operands agree on column count; types widen as DuckDB's (numbers to the wider,
-- DATE with TIMESTAMP to TIMESTAMP, anything with VARCHAR to VARCHAR, a NULL
-- column to the other's); UNION ALL keeps duplicates, UNION removes them (left
-- to right); ORDER BY / LIMIT / OFFSET after the last operand apply to the
-- whole, by output name or position.

-- name: adv_union_all_counts
-- unordered
SELECT org, 'big' AS kind FROM payments WHERE amount > 5000000 UNION ALL SELECT org, 'tiny' FROM payments WHERE amount < 1;

-- name: adv_union_distinct_order_limit
SELECT payee AS who FROM payments WHERE amount > 1000000 UNION SELECT approver FROM payments WHERE amount > 2000000
ORDER BY who NULLS FIRST LIMIT 40 OFFSET 3;

-- name: adv_union_chain_mixed
SELECT org, count(*) AS n FROM payments GROUP BY org HAVING count(*) > 300
UNION ALL SELECT org, count(*) FROM payments WHERE amount > 100000 GROUP BY org
UNION SELECT org, count(*) FROM payments GROUP BY org HAVING count(*) > 300
ORDER BY ALL;

-- name: adv_union_with_cte_and_positions
WITH big AS (SELECT payee, sum(amount) AS total FROM payments GROUP BY payee HAVING sum(amount) > 3000000)
SELECT payee, total FROM big UNION ALL SELECT 'ALL', sum(total) FROM big ORDER BY 2 DESC, 1 LIMIT 10;

-- name: adv_union_in_cte
WITH u AS (SELECT requester AS person FROM payments UNION SELECT approver FROM payments)
SELECT count(*) AS n, count(person) AS named FROM u;

-- name: adv_union_nulls_dedupe
-- tags: null_semantics
SELECT contract_id FROM payments WHERE contract_id IS NULL UNION SELECT contract_id FROM payments WHERE contract_id IS NULL
UNION SELECT CAST(NULL AS VARCHAR) ORDER BY 1 NULLS FIRST;

-- name: adv_union_all_types_dates
SELECT CAST(ts AS DATE) AS d, amount FROM payments WHERE org = 'ORG-0001' UNION ALL SELECT registered, CAST(0 AS DECIMAL(18,2)) FROM entities WHERE registered IS NOT NULL
ORDER BY d, amount LIMIT 25;

-- ---------------------------------------------------------------- QUALIFY
-- A filter on window results, after the windows and before DISTINCT, ORDER BY
-- and LIMIT (an ORDER BY ... LIMIT must not cut rows before it).

-- name: adv_qualify_top_per_group
SELECT org, txn_id, amount FROM payments
QUALIFY row_number() OVER (PARTITION BY org ORDER BY amount DESC, txn_id) <= 2 ORDER BY org, amount DESC, txn_id LIMIT 30;

-- name: adv_qualify_with_aggregates
SELECT org, sum(amount) AS total FROM payments GROUP BY org
QUALIFY rank() OVER (ORDER BY sum(amount) DESC) <= 5 ORDER BY total DESC, org;

-- name: adv_qualify_distinct_limit_where
-- tags: null_semantics
SELECT DISTINCT approver FROM payments WHERE amount > 1000
QUALIFY count(*) OVER (PARTITION BY approver) >= 3 AND lag(amount) OVER (PARTITION BY approver ORDER BY ts, txn_id) IS NOT NULL
ORDER BY approver NULLS FIRST LIMIT 25;

-- name: adv_qualify_null_condition
-- tags: null_semantics
SELECT txn_id FROM payments QUALIFY lag(approver) OVER (ORDER BY txn_id) = approver ORDER BY txn_id LIMIT 20;

-- name: adv_qualify_in_cte
WITH q AS (SELECT org, payee, amount, count(*) OVER (PARTITION BY payee) AS n FROM payments QUALIFY amount > 4000000)
SELECT count(*) AS n, sum(amount) AS total FROM q;

-- name: adv_qualify_alias
SELECT org, txn_id, row_number() OVER (PARTITION BY org ORDER BY ts DESC, txn_id) AS rn FROM payments QUALIFY rn = 1 ORDER BY org;

-- ---------------------------------------------------------------- one-part date functions
-- DuckDB's dayofweek(ts), quarter(ts), epoch(ts), ... are date_part with that part.

-- name: adv_date_part_functions
SELECT txn_id, dayofweek(ts) AS dw, dayofyear(ts) AS dy, dayofmonth(ts) AS dm, week(ts) AS w, weekofyear(ts) AS wy, quarter(ts) AS q,
       minute(ts) AS mi, second(ts) AS s, millisecond(ts) AS ms, microsecond(ts) AS us, isodow(ts) AS idw, isoyear(ts) AS iy,
       yearweek(ts) AS yw, decade(ts) AS de, epoch(ts) AS e
FROM payments ORDER BY txn_id LIMIT 40;

-- name: adv_date_part_functions_dates
-- tags: null_semantics
SELECT id, registered, dayofweek(registered) AS dw, quarter(registered) AS q, isoyear(registered) AS iy, epoch(registered) AS e,
       century(registered) AS c, millennium(registered) AS m
FROM entities ORDER BY id LIMIT 40;

-- name: adv_dayofweek_group
SELECT dayofweek(ts) AS dw, count(*) AS n, sum(amount) AS total FROM payments GROUP BY ALL ORDER BY ALL;

-- ---------------------------------------------------------------- computed NULLs in every aggregate path
-- name: adv_cn_global_aggs_computed_nulls
SELECT min(length(approver) * 0 + 7) AS mn, max(CAST(approver = requester AS BIGINT) + 3) AS mx,
       stddev_samp(length(approver) * 0 + amount) AS sd, median(length(approver) * 0 + amount) AS med,
       count(DISTINCT length(approver) * 0 + 7) AS cd, sum(DISTINCT length(approver) * 0 + 7) AS sd2,
       avg(CAST(length(approver) AS DOUBLE) * 0 + 2.5) AS ad, sum(CAST(length(approver) AS DOUBLE) * 0 + 2.5) AS sdd,
       sum(CAST(length(approver) * 0 + 1 AS DECIMAL(18,2)) + amount) AS sdec, avg(CAST(length(approver) * 0 + 1 AS DECIMAL(18,2)) + amount) AS adec,
       quantile_cont(length(approver) * 0 + amount, 0.9) AS q9
FROM payments;

-- name: adv_cn_global_aggs_filter
SELECT sum(amount) FILTER (WHERE approver IS NULL) AS a, avg(amount) FILTER (WHERE amount > 100000) AS b,
       min(ts) FILTER (WHERE approver IS NULL) AS c, count(DISTINCT org) FILTER (WHERE amount > 1000000) AS d,
       median(amount) FILTER (WHERE approver = requester) AS e, sum(amount * 2) FILTER (WHERE false) AS f
FROM payments;

-- name: adv_cn_not_in_null
SELECT count(*) FILTER (WHERE org NOT IN ('ORG-0001', NULL)) AS a, count(*) FILTER (WHERE org IN ('ORG-0001', NULL)) AS b,
       count(*) FILTER (WHERE amount BETWEEN NULL AND 100) AS c, count(*) FILTER (WHERE NOT (amount BETWEEN 100 AND NULL)) AS d
FROM payments;

-- name: adv_cn_window_global_computed
SELECT txn_id, sum(length(approver) * 0 + 7) OVER () AS s, avg(length(approver) * 0 + 7) OVER (PARTITION BY org) AS a,
       count(length(approver)) OVER () AS c, min(length(approver) * 0 + 7) OVER (ORDER BY txn_id ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) AS m
FROM payments ORDER BY txn_id LIMIT 30;

-- name: adv_cn_having_computed
SELECT org, sum(length(approver) * 0 + 1) AS n FROM payments GROUP BY org HAVING sum(length(approver) * 0 + 1) < 200 ORDER BY org LIMIT 20;

-- name: adv_cn_join_group_computed
SELECT e.kind, sum(length(p.approver) * 0 + p.amount) AS s, count(*) AS n FROM payments p LEFT JOIN entities e ON e.id = p.payee GROUP BY e.kind ORDER BY e.kind NULLS FIRST;

-- name: adv_cn_distinct_global_sum_double
SELECT sum(DISTINCT CAST(amount AS DOUBLE) * 0 + length(approver)) AS s FROM payments;

-- name: adv_union_widening
SELECT org AS k, NULL AS total, 0 AS n FROM payments WHERE org = 'ORG-0001'
UNION ALL SELECT 'sum', sum(amount), count(*) FROM payments
UNION ALL SELECT 'avg', avg(amount), 1 FROM payments
UNION ALL SELECT 'int', 7, 2 FROM payments WHERE org = 'ORG-0002'
ORDER BY k, total NULLS FIRST, n LIMIT 20;

-- name: adv_union_widening_dates_strings
SELECT CAST(ts AS DATE) AS d, txn_id AS what FROM payments WHERE org = 'ORG-0001'
UNION SELECT ts, amount FROM payments WHERE org = 'ORG-0001'
UNION SELECT registered, true FROM entities WHERE id = 'ORG-0001'
ORDER BY d, what LIMIT 40;

-- ---------------------------------------------------------------- CTE column pruning
-- A CTE stores only the columns the rest of the statement names: the answers
-- must not change when a column is read only by a later CTE, only in ORDER BY
-- inside the CTE, through a *, by a differently-cased name, or in a join.

-- name: adv_cte_prune_later_cte_and_case
WITH a AS (SELECT org, payee, amount, ts, upper(payee) AS "Big Payee" FROM payments WHERE amount > 100000),
     b AS (SELECT ORG, count(*) AS n, max("Big Payee") AS top FROM a GROUP BY ORG)
SELECT b.org, b.n, b.top, sum(a.amount) AS total FROM b JOIN a ON a.org = b.org GROUP BY b.org, b.n, b.top ORDER BY total DESC, b.org LIMIT 10;

-- name: adv_cte_prune_order_limit_inside
WITH top AS (SELECT txn_id, payee, amount FROM payments ORDER BY amount DESC, txn_id LIMIT 25)
SELECT txn_id FROM top ORDER BY txn_id;

-- name: adv_cte_prune_distinct_star
WITH d AS (SELECT DISTINCT org, currency FROM payments), s AS (SELECT org, payee, amount FROM payments WHERE amount > 3000000)
SELECT count(*) AS n FROM d;

-- name: adv_cte_prune_star
WITH s AS (SELECT org, payee, amount, txn_id FROM payments WHERE amount > 3000000)
SELECT * FROM s ORDER BY txn_id LIMIT 20;

-- name: adv_cte_prune_window_count_only
WITH w AS (SELECT org, payee, sum(amount) OVER (PARTITION BY org, payee ORDER BY ts RANGE BETWEEN INTERVAL 7 DAYS PRECEDING AND CURRENT ROW) AS s7,
                  row_number() OVER (ORDER BY txn_id) AS rn FROM payments)
SELECT count(*) AS n, max(s7) AS max_s7, sum(s7) AS sum_s7, max(rn) AS n_rows FROM w;

-- name: adv_window_sum_wide_and_narrow_prefix
-- Window sums keep 64-bit prefix sums only when no sum can pass 2^62; these
-- values pass it (HUGEINT sums), the second set stays under it with negatives.
SELECT txn_id, sum(CAST(amount AS BIGINT) * 1000000000000) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS wide,
       sum(CAST(amount AS BIGINT) * -1000) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS narrow,
       avg(CAST(amount AS BIGINT) * 1000000000000) OVER (PARTITION BY org ORDER BY txn_id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS wide_avg
FROM payments ORDER BY txn_id LIMIT 60;

-- name: adv_alias_reserved_words_after_as
-- After AS an alias may be any word, reserved ones too (DuckDB's ColLabel).
SELECT org AS rows, count(*) AS range, sum(amount) AS filter, max(ts) AS "window", min(amount) AS select FROM payments
GROUP BY org ORDER BY rows LIMIT 5;

-- ---------------------------------------------------------------- EXCEPT, INTERSECT
-- EXCEPT and INTERSECT keep one row of each distinct kept row; with ALL as
-- multisets (EXCEPT ALL: max(0, left - right) copies, INTERSECT ALL: the
-- fewer).  UNION and EXCEPT chain left to right; INTERSECT chains alone.

-- name: adv_except_distinct
SELECT payee FROM payments WHERE ts < '2024-01-01' EXCEPT SELECT payee FROM payments WHERE ts >= '2024-01-01' ORDER BY payee LIMIT 50;

-- name: adv_intersect_distinct
SELECT org, currency FROM payments WHERE amount > 1000000 INTERSECT SELECT org, currency FROM payments WHERE amount < 100 ORDER BY ALL;

-- name: adv_except_all_intersect_all
-- tags: null_semantics
WITH a AS (SELECT approver AS x FROM payments WHERE org < 'ORG-0004'), b AS (SELECT requester AS x FROM payments WHERE org < 'ORG-0003')
SELECT 'except_all' AS k, x, count(*) AS n FROM (SELECT x FROM a EXCEPT ALL SELECT x FROM b) GROUP BY x
UNION ALL SELECT 'intersect_all', x, count(*) FROM (SELECT x FROM a INTERSECT ALL SELECT x FROM b) GROUP BY x
ORDER BY k, x NULLS FIRST LIMIT 80;

-- name: adv_union_except_chain
SELECT org FROM payments WHERE amount > 4000000 UNION SELECT org FROM tenders EXCEPT SELECT org FROM payments WHERE amount < 5
ORDER BY org;

-- name: adv_intersect_chain_nulls
-- tags: null_semantics
SELECT contract_id FROM payments INTERSECT SELECT contract_id FROM payments WHERE approver IS NULL INTERSECT SELECT contract_id FROM payments
ORDER BY contract_id NULLS FIRST LIMIT 20;
