/* cmd_shell.c - `ferret shell STORE`: SQL at a prompt, or a script on stdin.
 *
 * Input is read a line at a time into a pending buffer.  A line that starts with
 * '.' while nothing is pending is a dot command; anything else is SQL, and runs as
 * soon as the buffer holds a complete statement (the engine's fr_sql_is_complete
 * decides where a ';' outside quotes and comments ends one), so a statement may
 * span lines and a line may hold several.  On a terminal, lines come from libedit
 * (its readline-compatible API) with history in ~/.ferret_history; otherwise stdin
 * is a script: no prompt, no banner, each statement runs in order, a failure is
 * reported with the line it started on and the script goes on, and the exit
 * status says whether anything failed.  Interactive sessions last minutes to
 * hours; scripts hold up to thousands of statements.
 *
 * Snapshot: the store is re-opened for every statement and dot command, not kept
 * open for the session.  An auditor's shell may stay open while the nightly scan
 * ingests, and each statement should see the latest committed version; a single
 * statement still reads one consistent snapshot.  The cost is one MANIFEST read
 * (kilobytes) per statement, negligible beside a query.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <editline/readline.h>

#include "cli.h"

static const char fr_shell_help[] =
    "usage: ferret shell STORE [--threads N] [--memory-limit SIZE]\n"
    "\n"
    "Runs SQL over the store.  On a terminal: a prompt with line editing and\n"
    "history (~/.ferret_history); a statement may span lines and ends with ';'.\n"
    "When standard input is not a terminal, it is read as a script: each statement\n"
    "runs in turn, errors are reported with the line the statement starts on and\n"
    "the script goes on; the exit status is 0 when every statement succeeded, 2\n"
    "when one failed on bad input (SQL, usage), 3 on an I/O failure, a query over\n"
    "the memory limit, or an internal failure.\n"
    "Each statement sees the latest committed version of the store.\n"
    "\n"
    "  --threads N          threads per query (default: all cores)\n"
    "  --memory-limit SIZE  stop a query that needs more memory (e.g. 4G;\n"
    "                       default 80 % of physical memory)\n"
    "\n"
    "Dot commands (run `.help` in the shell):\n";

static const char fr_shell_dot_help[] =
    ".tables                 list the tables of the store\n"
    ".schema [TABLE]         columns and types of TABLE (or of every table)\n"
    ".timer on|off           print the elapsed time after each statement\n"
    ".mode table|csv|json    output format (aligned table, RFC 4180 CSV, JSON lines)\n"
    ".help                   this list\n"
    ".quit, .exit            leave the shell (end of input does too)\n";

#define FR_SHELL_HISTORY_MAX 2000

typedef struct fr_shell {
  const char *store_dir;
  fr_query_options opts;
  fr_output_format mode;
  int timer;
  int interactive;
  int quit;              /* 1 after .quit / .exit */
  int in_statement;      /* 1 while an SQL statement runs (for error messages) */
  int exit_code;         /* worst exit code of a failed command so far */
  char *pending;         /* SQL read but not yet run, NUL-terminated */
  size_t pending_len;
  size_t pending_cap;
  long pending_line;     /* input line number of pending[0] */
} fr_shell;

static int fr_shell_emit(void *ctx, const void *bytes, size_t len) {
  (void)ctx;
  return fwrite(bytes, 1, len, stdout) == len ? 0 : -1;
}

/* Reports a failed command: on a terminal as the message alone, in a script with
 * the input line the command started on (an SQL error's own line and column
 * count within the statement, hence "statement at line N").  Remembers the worst
 * exit code. */
static void fr_shell_report(fr_shell *sh, long line, fr_status status, const char *msg) {
  fflush(stdout);
  if (sh->interactive)
    fprintf(stderr, "Error: %s\n", msg);
  else
    fprintf(stderr, "ferret shell: %s %ld: %s\n", sh->in_statement ? "statement at line" : "line", line, msg);
  fflush(stderr);
  int code = fr_cli_exit_code(status == FR_OK ? FR_ERR_INVALID : status);
  if (code > sh->exit_code)
    sh->exit_code = code;
}

static void fr_shell_report_err(fr_shell *sh, long line, fr_status status, const fr_error *err) {
  fr_shell_report(sh, line, status, err->msg[0] ? err->msg : fr_status_str(status));
}

static double fr_shell_now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double fr_shell_timeval_s(struct timeval tv) {
  return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Skips whitespace and SQL comments (`-- ...` to the end of the line, and
 * `/ * ... * /`); returns a pointer to the first other character or the NUL. */
static const char *fr_shell_skip_blank(const char *text) {
  for (;;) {
    while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r' || *text == '\f' ||
           *text == '\v')
      text++;
    if (text[0] == '-' && text[1] == '-') {
      while (*text != '\0' && *text != '\n')
        text++;
    } else if (text[0] == '/' && text[1] == '*') {
      const char *end = strstr(text + 2, "*/");
      if (end == NULL)
        return text;      /* an unterminated comment is not blank: it still needs input */
      text = end + 2;
    } else {
      return text;
    }
  }
}

static long fr_shell_count_newlines(const char *text, size_t len) {
  long n = 0;
  for (size_t idx = 0; idx < len; idx++)
    n += text[idx] == '\n';
  return n;
}

/* SQL type names as DuckDB spells them, so that .schema reads like the types
 * fr_result_column_type reports. */
static const char *fr_shell_sql_type(fr_type type) {
  switch (type) {
  case FR_TYPE_STRING: return "VARCHAR";
  case FR_TYPE_INT64: return "BIGINT";
  case FR_TYPE_FLOAT64: return "DOUBLE";
  case FR_TYPE_DECIMAL: return "DECIMAL(18,2)";
  case FR_TYPE_TIMESTAMP: return "TIMESTAMP";
  case FR_TYPE_DATE: return "DATE";
  case FR_TYPE_BOOL: return "BOOLEAN";
  }
  return fr_type_name(type);
}

/* Prints an identifier, double-quoted when it is not a plain lower-case name. */
static void fr_shell_print_ident(const char *name) {
  int plain = (name[0] >= 'a' && name[0] <= 'z') || name[0] == '_';
  for (const char *c = name; plain && *c; c++)
    plain = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
  if (plain) {
    fputs(name, stdout);
    return;
  }
  putchar('"');
  for (const char *c = name; *c; c++) {
    if (*c == '"')
      putchar('"');
    putchar(*c);
  }
  putchar('"');
}

static void fr_shell_print_schema(const fr_table_meta *table) {
  fputs("CREATE TABLE ", stdout);
  fr_shell_print_ident(table->name);
  fputs(" (\n", stdout);
  for (uint32_t col = 0; col < table->schema.n_columns; col++) {
    fputs("  ", stdout);
    fr_shell_print_ident(table->schema.columns[col].name);
    printf(" %s%s\n", fr_shell_sql_type(table->schema.columns[col].type),
           col + 1 < table->schema.n_columns ? "," : "");
  }
  printf(");  -- %llu rows\n", (unsigned long long)table->n_rows);
}

static int fr_shell_cmp_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int fr_shell_cmp_tables(const void *a, const void *b) {
  return strcmp((*(const fr_table_meta *const *)a)->name, (*(const fr_table_meta *const *)b)->name);
}

/* Opens the latest snapshot, reporting a failure. */
static fr_store *fr_shell_open(fr_shell *sh, long line) {
  fr_store *store = NULL;
  fr_error err;
  fr_error_clear(&err);
  fr_status status = fr_store_open(&store, sh->store_dir, &err);
  if (status != FR_OK) {
    fr_shell_report_err(sh, line, status, &err);
    return NULL;
  }
  return store;
}

static void fr_shell_tables(fr_shell *sh, long line) {
  fr_store *store = fr_shell_open(sh, line);
  if (store == NULL)
    return;
  uint32_t n_tables = store->manifest.n_tables;
  const char **names = calloc(n_tables ? n_tables : 1, sizeof *names);
  if (names == NULL) {
    fr_store_close(store);
    fr_shell_report(sh, line, FR_ERR_NOMEM, fr_status_str(FR_ERR_NOMEM));
    return;
  }
  for (uint32_t idx = 0; idx < n_tables; idx++)
    names[idx] = store->manifest.tables[idx].name;
  qsort(names, n_tables, sizeof *names, fr_shell_cmp_names);
  for (uint32_t idx = 0; idx < n_tables; idx++)
    printf("%s\n", names[idx]);
  free(names);
  fr_store_close(store);
}

static void fr_shell_schema(fr_shell *sh, long line, const char *table_name) {
  fr_store *store = fr_shell_open(sh, line);
  if (store == NULL)
    return;
  if (table_name != NULL) {
    const fr_table_meta *table = NULL;
    fr_error err;
    fr_error_clear(&err);
    fr_status status = fr_table_find(store, table_name, &table, &err);
    if (status != FR_OK)
      fr_shell_report_err(sh, line, status, &err);
    else
      fr_shell_print_schema(table);
  } else {
    uint32_t n_tables = store->manifest.n_tables;
    const fr_table_meta **tables = calloc(n_tables ? n_tables : 1, sizeof *tables);
    if (tables == NULL) {
      fr_store_close(store);
      fr_shell_report(sh, line, FR_ERR_NOMEM, fr_status_str(FR_ERR_NOMEM));
      return;
    }
    for (uint32_t idx = 0; idx < n_tables; idx++)
      tables[idx] = &store->manifest.tables[idx];
    qsort(tables, n_tables, sizeof *tables, fr_shell_cmp_tables);
    for (uint32_t idx = 0; idx < n_tables; idx++)
      fr_shell_print_schema(tables[idx]);
    free(tables);
  }
  fr_store_close(store);
}

/* Runs one dot command (the whole input line, starting with '.'). */
static void fr_shell_dot(fr_shell *sh, char *line_text, long line) {
  char *words[4] = {NULL, NULL, NULL, NULL};
  int n_words = 0;
  char *save = NULL;
  for (char *word = strtok_r(line_text, " \t\r\n", &save); word != NULL;
       word = strtok_r(NULL, " \t\r\n", &save)) {
    if (n_words == 4) {
      n_words++;
      break;
    }
    words[n_words++] = word;
  }
  const char *cmd = words[0];
  char msg[512];
  if (cmd == NULL)
    return;
  if (strcmp(cmd, ".quit") == 0 || strcmp(cmd, ".exit") == 0) {
    sh->quit = 1;
  } else if (strcmp(cmd, ".help") == 0) {
    fputs(fr_shell_dot_help, stdout);
  } else if (strcmp(cmd, ".tables") == 0) {
    if (n_words != 1) {
      fr_shell_report(sh, line, FR_ERR_INVALID, ".tables takes no argument");
      return;
    }
    fr_shell_tables(sh, line);
  } else if (strcmp(cmd, ".schema") == 0) {
    if (n_words > 2) {
      fr_shell_report(sh, line, FR_ERR_INVALID, "usage: .schema [TABLE]");
      return;
    }
    fr_shell_schema(sh, line, words[1]);
  } else if (strcmp(cmd, ".timer") == 0) {
    if (n_words == 2 && strcmp(words[1], "on") == 0)
      sh->timer = 1;
    else if (n_words == 2 && strcmp(words[1], "off") == 0)
      sh->timer = 0;
    else
      fr_shell_report(sh, line, FR_ERR_INVALID, "usage: .timer on|off");
  } else if (strcmp(cmd, ".mode") == 0) {
    static const char *names[] = {"table", "csv", "json"};
    fr_output_format mode;
    if (n_words == 1)
      printf("%s\n", names[sh->mode]);
    else if (n_words == 2 && fr_output_format_parse(&mode, words[1]) == 0)
      sh->mode = mode;
    else
      fr_shell_report(sh, line, FR_ERR_INVALID, "usage: .mode table|csv|json");
  } else {
    snprintf(msg, sizeof msg, "unknown command %.200s; .help lists the commands", cmd);
    fr_shell_report(sh, line, FR_ERR_INVALID, msg);
  }
}

/* Runs one SQL statement against a fresh snapshot and renders its result. */
static void fr_shell_sql(fr_shell *sh, const char *sql, long line) {
  double start_s = fr_shell_now_s();
  struct rusage usage_before;
  getrusage(RUSAGE_SELF, &usage_before);
  fr_store *store = fr_shell_open(sh, line);
  if (store == NULL)
    return;
  fr_result *result = NULL;
  fr_error err;
  fr_error_clear(&err);
  fr_status status = fr_sql_execute(store, sql, &sh->opts, &result, &err);
  if (status == FR_OK)
    status = fr_result_render(result, sh->mode, fr_shell_emit, NULL, &err);
  if (result != NULL)
    fr_result_free(result);
  fr_store_close(store);
  if (fflush(stdout) != 0 && status == FR_OK)
    status = fr_error_set(&err, FR_ERR_IO, "cannot write standard output");
  if (status != FR_OK) {
    fr_shell_report_err(sh, line, status, &err);
    return;
  }
  if (sh->timer) {
    struct rusage usage_after;
    getrusage(RUSAGE_SELF, &usage_after);
    printf("Run Time (s): real %.6f user %.6f sys %.6f\n", fr_shell_now_s() - start_s,
           fr_shell_timeval_s(usage_after.ru_utime) - fr_shell_timeval_s(usage_before.ru_utime),
           fr_shell_timeval_s(usage_after.ru_stime) - fr_shell_timeval_s(usage_before.ru_stime));
    fflush(stdout);
  }
}

static int fr_shell_append(fr_shell *sh, const char *text, size_t len) {
  if (sh->pending_len + len + 2 > sh->pending_cap) {
    size_t cap = sh->pending_cap;
    while (cap < sh->pending_len + len + 2)
      cap *= 2;
    char *grown = realloc(sh->pending, cap);
    if (grown == NULL)
      return -1;
    sh->pending = grown;
    sh->pending_cap = cap;
  }
  memcpy(sh->pending + sh->pending_len, text, len);
  sh->pending_len += len;
  sh->pending[sh->pending_len++] = '\n';
  sh->pending[sh->pending_len] = '\0';
  return 0;
}

/* Drops the first `len` bytes of the pending buffer. */
static void fr_shell_consume(fr_shell *sh, size_t len) {
  sh->pending_line += fr_shell_count_newlines(sh->pending, len);
  memmove(sh->pending, sh->pending + len, sh->pending_len - len + 1);
  sh->pending_len -= len;
}

/* Length of the first complete statement in the pending buffer (through its
 * ';'), or 0.  The end is the first ';' at which the prefix is complete by the
 * engine's own lexer, so quotes and comments are judged in one place. */
static size_t fr_shell_first_statement(fr_shell *sh) {
  if (!fr_sql_is_complete(sh->pending))
    return 0;
  for (size_t idx = 0; idx < sh->pending_len; idx++) {
    if (sh->pending[idx] != ';')
      continue;
    char saved = sh->pending[idx + 1];
    sh->pending[idx + 1] = '\0';
    int complete = fr_sql_is_complete(sh->pending);
    sh->pending[idx + 1] = saved;
    if (complete)
      return idx + 1;
  }
  return sh->pending_len;
}

/* Runs the statement in pending[0, len) unless it is only blanks, comments and
 * its ';'. */
static void fr_shell_run_prefix(fr_shell *sh, size_t len) {
  const char *start = fr_shell_skip_blank(sh->pending);
  size_t offset = (size_t)(start - sh->pending);
  if (offset < len && !(offset + 1 == len && sh->pending[offset] == ';')) {
    long line = sh->pending_line + fr_shell_count_newlines(sh->pending, offset);
    size_t end = len;
    while (end > offset && (sh->pending[end - 1] == '\n' || sh->pending[end - 1] == '\r' ||
                            sh->pending[end - 1] == ' ' || sh->pending[end - 1] == '\t'))
      end--;
    char saved = sh->pending[end];
    sh->pending[end] = '\0';
    sh->in_statement = 1;
    fr_shell_sql(sh, start, line);
    sh->in_statement = 0;
    sh->pending[end] = saved;
  }
  fr_shell_consume(sh, len);
}

/* Handles one input line (without its newline); returns 0, or -1 when out of
 * memory. */
static int fr_shell_line(fr_shell *sh, char *text, long line) {
  size_t len = strlen(text);
  if (len > 0 && text[len - 1] == '\r')
    text[--len] = '\0';
  if (*fr_shell_skip_blank(sh->pending) == '\0') {
    const char *first = text;
    while (*first == ' ' || *first == '\t')
      first++;
    if (*first == '.') {
      sh->pending_len = 0;
      sh->pending[0] = '\0';
      fr_shell_dot(sh, text, line);
      sh->pending_line = line + 1;
      return 0;
    }
    if (sh->pending_len == 0)
      sh->pending_line = line;
  }
  if (fr_shell_append(sh, text, len) != 0)
    return -1;
  for (size_t stmt_len; !sh->quit && (stmt_len = fr_shell_first_statement(sh)) > 0;)
    fr_shell_run_prefix(sh, stmt_len);
  return 0;
}

/* End of input: a last statement without its ';' still runs. */
static void fr_shell_finish(fr_shell *sh) {
  if (!sh->quit && *fr_shell_skip_blank(sh->pending) != '\0')
    fr_shell_run_prefix(sh, sh->pending_len);
}

static int fr_shell_run_script(fr_shell *sh) {
  char *line_text = NULL;
  size_t cap = 0;
  long line = 0;
  int rc = 0;
  while (!sh->quit && getline(&line_text, &cap, stdin) >= 0) {
    line++;
    size_t len = strlen(line_text);
    if (len > 0 && line_text[len - 1] == '\n')
      line_text[len - 1] = '\0';
    if ((rc = fr_shell_line(sh, line_text, line)) != 0)
      break;
  }
  if (rc == 0 && ferror(stdin)) {
    fr_shell_report(sh, line, FR_ERR_IO, strerror(errno));
  } else if (rc == 0) {
    fr_shell_finish(sh);
  } else {
    fr_shell_report(sh, line, FR_ERR_NOMEM, fr_status_str(FR_ERR_NOMEM));
  }
  free(line_text);
  return sh->exit_code;
}

/* Adds what was typed since the last complete command to the history, as one
 * line so that one key recalls a whole multi-line statement. */
static void fr_shell_remember(const char *typed, const char *history_path) {
  char *one_line = strdup(typed);
  if (one_line == NULL)
    return;
  size_t len = strlen(one_line);
  while (len > 0 && (one_line[len - 1] == '\n' || one_line[len - 1] == ' '))
    one_line[--len] = '\0';
  for (char *c = one_line; *c; c++)
    if (*c == '\n' || *c == '\r')
      *c = ' ';
  HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
  if (len > 0 && (last == NULL || last->line == NULL || strcmp(last->line, one_line) != 0)) {
    add_history(one_line);
    if (history_path != NULL)
      write_history(history_path);
  }
  free(one_line);
}

/* Set by Ctrl-C at the prompt; the typed statement is then dropped. */
static volatile sig_atomic_t fr_shell_interrupted;

static void fr_shell_on_sigint(int signo) {
  (void)signo;
  fr_shell_interrupted = 1;
}

/* Reads one line at the prompt.  Ctrl-C there abandons the pending input
 * (returns an empty line with *interrupted set) instead of ending the shell;
 * while a query runs, SIGINT keeps its default action and stops the process,
 * since a running query cannot be cancelled. */
static char *fr_shell_readline(const char *prompt, int *interrupted) {
  struct sigaction action, previous;
  memset(&action, 0, sizeof action);
  action.sa_handler = fr_shell_on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0; /* no SA_RESTART: the terminal read returns */
  fr_shell_interrupted = 0;
  sigaction(SIGINT, &action, &previous);
  char *input = readline(prompt);
  sigaction(SIGINT, &previous, NULL);
  *interrupted = fr_shell_interrupted;
  return input;
}

static int fr_shell_run_interactive(fr_shell *sh) {
  char history_path[4096];
  const char *home = getenv("HOME");
  const char *history = NULL;
  if (home != NULL && home[0] != '\0' &&
      (size_t)snprintf(history_path, sizeof history_path, "%s/.ferret_history", home) < sizeof history_path)
    history = history_path;
  rl_readline_name = "ferret";
  using_history();
  stifle_history(FR_SHELL_HISTORY_MAX);
  if (history != NULL)
    read_history(history);
  printf("ferret %s shell on %s.  Enter .help for the commands; end statements with ';'.\n",
         FERRET_VERSION, sh->store_dir);
  fflush(stdout);

  char *typed = NULL;        /* the lines of the command being typed, for history */
  size_t typed_len = 0;
  long line = 0;
  int out_of_memory = 0;
  while (!sh->quit && !out_of_memory) {
    int continuing = *fr_shell_skip_blank(sh->pending) != '\0';
    int interrupted = 0;
    char *input = fr_shell_readline(continuing ? "   ...> " : "ferret> ", &interrupted);
    if (interrupted) {
      free(input);
      fputs("^C\n", stdout);
      sh->pending_len = 0;
      sh->pending[0] = '\0';
      typed_len = 0;
      continue;
    }
    if (input == NULL) {
      putchar('\n');
      break;
    }
    line++;
    size_t len = strlen(input);
    char *grown = realloc(typed, typed_len + len + 2);
    if (grown == NULL) {
      free(input);
      out_of_memory = 1;
      break;
    }
    typed = grown;
    memcpy(typed + typed_len, input, len);
    typed_len += len;
    typed[typed_len++] = '\n';
    typed[typed_len] = '\0';
    if (fr_shell_line(sh, input, line) != 0)
      out_of_memory = 1;
    free(input);
    /* once nothing is pending, the typed lines formed whole commands */
    if (*fr_shell_skip_blank(sh->pending) == '\0') {
      fr_shell_remember(typed, history);
      typed_len = 0;
      typed[0] = '\0';
    }
  }
  if (out_of_memory)
    fr_shell_report(sh, line, FR_ERR_NOMEM, fr_status_str(FR_ERR_NOMEM));
  else
    fr_shell_finish(sh);
  free(typed);
  return out_of_memory ? FR_EXIT_FAILURE : FR_EXIT_OK;
}

int fr_cmd_shell(int argc, char **argv) {
  const char *memory_limit = NULL;
  fr_cli_opt opts[] = {{"memory-limit", 1, &memory_limit, NULL}, {NULL, 0, NULL, NULL}};
  fr_cli_args args;
  int rc = fr_cli_parse("shell", argc, argv, opts, &args);
  if (rc != 0)
    return rc;
  if (args.help) {
    fputs(fr_shell_help, stdout);
    fputs(fr_shell_dot_help, stdout);
    return FR_EXIT_OK;
  }
  if (args.n_pos != 1)
    return fr_cli_usage("shell", "expected STORE");
  fr_shell sh;
  memset(&sh, 0, sizeof sh);
  sh.store_dir = args.pos[0];
  sh.opts.threads = args.threads;
  sh.mode = FR_OUTPUT_TABLE;
  sh.pending_line = 1;
  if (memory_limit != NULL) {
    size_t bytes = 0;
    if (fr_cli_parse_size(memory_limit, &bytes) != 0 || bytes == 0)
      return fr_cli_usage("shell", "--memory-limit needs a size such as 512M or 4G, got %s", memory_limit);
    sh.opts.memory_limit = bytes;
  }

  /* no session on a store that cannot be opened at all: say so and stop */
  fr_store *store = NULL;
  fr_error err;
  fr_error_clear(&err);
  fr_status status = fr_store_open(&store, sh.store_dir, &err);
  if (status != FR_OK)
    return fr_cli_fail("shell", status, &err);
  fr_store_close(store);

  sh.pending_cap = 4096;
  sh.pending = malloc(sh.pending_cap);
  if (sh.pending == NULL)
    return fr_cli_fail("shell", FR_ERR_NOMEM, NULL);
  sh.pending[0] = '\0';
  sh.interactive = isatty(STDIN_FILENO);
  rc = sh.interactive ? fr_shell_run_interactive(&sh) : fr_shell_run_script(&sh);
  free(sh.pending);
  if (fflush(stdout) != 0 && rc == FR_EXIT_OK)
    rc = fr_cli_fail("shell", FR_ERR_IO, NULL);
  return rc;
}
