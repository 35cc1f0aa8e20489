/* cli.c - argument scanning and error reporting shared by the subcommands. */
#include "cli.h"

#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fr_cli_exit_code(fr_status status) {
  switch (status) {
  case FR_OK: return FR_EXIT_OK;
  case FR_ERR_PARSE:
  case FR_ERR_INVALID:
  case FR_ERR_NOTFOUND:
  case FR_ERR_UNSUPPORTED: return FR_EXIT_USAGE;
  default: return FR_EXIT_FAILURE;
  }
}

int fr_cli_fail(const char *cmd, fr_status status, const fr_error *err) {
  fprintf(stderr, "ferret %s: %s\n", cmd,
          err != NULL && err->msg[0] ? err->msg : fr_status_str(status));
  return fr_cli_exit_code(status);
}

int fr_cli_usage(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "ferret %s: ", cmd);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\nRun `ferret %s --help` for usage.\n", cmd);
  va_end(ap);
  return FR_EXIT_USAGE;
}

int fr_cli_parse(const char *cmd, int argc, char **argv, const fr_cli_opt *opts, fr_cli_args *out) {
  memset(out, 0, sizeof *out);
  int only_positional = 0;
  for (int idx = 0; idx < argc; idx++) {
    const char *arg = argv[idx];
    if (only_positional || arg[0] != '-' || strcmp(arg, "-") == 0) {
      if (out->n_pos >= (int)(sizeof out->pos / sizeof out->pos[0]))
        return fr_cli_usage(cmd, "too many arguments");
      out->pos[out->n_pos++] = arg;
      continue;
    }
    if (strcmp(arg, "--") == 0) {
      only_positional = 1;
      continue;
    }
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      out->help = 1;
      continue;
    }
    const char *name = arg + (arg[1] == '-' ? 2 : 1);
    const char *inline_value = strchr(name, '=');
    size_t name_len = inline_value ? (size_t)(inline_value - name) : strlen(name);
    if (name_len == 7 && strncmp(name, "threads", 7) == 0) {
      const char *value = inline_value ? inline_value + 1 : (idx + 1 < argc ? argv[++idx] : NULL);
      char *end = NULL;
      long n = value ? strtol(value, &end, 10) : 0;
      if (value == NULL || *end != '\0' || n < 1 || n > 1024)
        return fr_cli_usage(cmd, "--threads needs a number from 1 to 1024");
      out->threads = (int)n;
      omp_set_num_threads((int)n);
      continue;
    }
    const fr_cli_opt *match = NULL;
    for (const fr_cli_opt *opt = opts; opt != NULL && opt->name != NULL; opt++)
      if (strlen(opt->name) == name_len && strncmp(opt->name, name, name_len) == 0)
        match = opt;
    if (match == NULL)
      return fr_cli_usage(cmd, "unknown option %s", arg);
    if (match->takes_value) {
      const char *value = inline_value ? inline_value + 1 : (idx + 1 < argc ? argv[++idx] : NULL);
      if (value == NULL)
        return fr_cli_usage(cmd, "option --%s needs a value", match->name);
      *match->value = value;
    } else {
      if (inline_value)
        return fr_cli_usage(cmd, "option --%s takes no value", match->name);
      *match->flag = 1;
    }
  }
  return 0;
}

int fr_cli_parse_size(const char *text, size_t *out) {
  char *end = NULL;
  double v = strtod(text, &end);
  if (end == text || v < 0)
    return -1;
  double mult = 1;
  if (*end == 'k' || *end == 'K') mult = 1024.0, end++;
  else if (*end == 'm' || *end == 'M') mult = 1024.0 * 1024, end++;
  else if (*end == 'g' || *end == 'G') mult = 1024.0 * 1024 * 1024, end++;
  if (*end == 'B' || *end == 'b')
    end++;
  if (*end != '\0')
    return -1;
  *out = (size_t)(v * mult);
  return 0;
}
