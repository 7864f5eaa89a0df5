// libcurl, loaded on first use instead of at start-up.
//
// Linking libcurl.so.4 makes the dynamic loader map and relocate its whole dependency tree (GnuTLS,
// nettle, Kerberos, LDAP, SASL, libssh2, librtmp, nghttp2, libidn2, libpsl, brotli, zstd...: some 30
// shared objects, 8,000 symbol look-ups) before main, for every command, even `--version`. Instead
// this file defines the curl_* functions mediactl calls as small forwarders that dlopen libcurl.so.4
// the first time one is called, so only commands that make a request pay for it.
//
// Add a function here when Swift code starts calling it: the link fails on an undefined curl_*
// symbol until you do. The definitions are hidden, so libcurl's own calls never come back here.
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
// Only curl's own declarations are hidden (the system headers above are already in).
#define CURL_DISABLE_TYPECHECK  // the type-checking macros would rename the variadic setters below
#pragma GCC visibility push(hidden)
#include <curl/curl.h>
#include <curl/multi.h>
#pragma GCC visibility pop

#define CCURL_FUNCTIONS(X) \
    X(curl_global_init) X(curl_global_cleanup) X(curl_version) X(curl_free) \
    X(curl_slist_append) X(curl_slist_free_all) \
    X(curl_easy_init) X(curl_easy_cleanup) X(curl_easy_reset) X(curl_easy_duphandle) \
    X(curl_easy_perform) X(curl_easy_setopt) X(curl_easy_getinfo) X(curl_easy_strerror) \
    X(curl_easy_pause) X(curl_easy_escape) X(curl_easy_unescape) X(curl_easy_upkeep) \
    X(curl_multi_init) X(curl_multi_cleanup) X(curl_multi_add_handle) X(curl_multi_remove_handle) \
    X(curl_multi_perform) X(curl_multi_poll) X(curl_multi_wakeup) X(curl_multi_info_read) \
    X(curl_multi_setopt) X(curl_multi_strerror)

static struct {
#define CCURL_FIELD(name) void *name;
    CCURL_FUNCTIONS(CCURL_FIELD)
#undef CCURL_FIELD
} ccurl_table;
static pthread_once_t ccurl_once = PTHREAD_ONCE_INIT;
static char ccurl_error[512];
static int ccurl_loaded;

static void ccurl_load(void) {
    void *lib = dlopen("libcurl.so.4", RTLD_LAZY | RTLD_LOCAL);
    if (!lib) {
        snprintf(ccurl_error, sizeof ccurl_error, "%s", dlerror());
        return;
    }
#define CCURL_RESOLVE(name) ccurl_table.name = dlsym(lib, #name);
    CCURL_FUNCTIONS(CCURL_RESOLVE)
#undef CCURL_RESOLVE
    ccurl_loaded = 1;
}

/// Why libcurl could not be loaded ("" when it was, or has not been tried yet).
const char *ccurl_load_error(void) {
    return ccurl_error;
}

static void *ccurl_symbol(void *const *slot, const char *name) {
    pthread_once(&ccurl_once, ccurl_load);
    if (!*slot) {
        fprintf(stderr, "mediactl: %s is not available (%s)\n", name,
                ccurl_loaded ? "libcurl.so.4 is too old" : ccurl_error);
        abort();
    }
    return *slot;
}
#define CCURL_FN(type, name) ((type)ccurl_symbol(&ccurl_table.name, #name))

CURLcode curl_global_init(long flags) {
    pthread_once(&ccurl_once, ccurl_load);
    if (!ccurl_loaded) return CURLE_FAILED_INIT;
    return CCURL_FN(CURLcode (*)(long), curl_global_init)(flags);
}
void curl_global_cleanup(void) {
    if (ccurl_loaded) CCURL_FN(void (*)(void), curl_global_cleanup)();
}
char *curl_version(void) { return CCURL_FN(char *(*)(void), curl_version)(); }
void curl_free(void *p) { CCURL_FN(void (*)(void *), curl_free)(p); }

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *data) {
    return CCURL_FN(struct curl_slist *(*)(struct curl_slist *, const char *), curl_slist_append)(list, data);
}
void curl_slist_free_all(struct curl_slist *list) {
    CCURL_FN(void (*)(struct curl_slist *), curl_slist_free_all)(list);
}

CURL *curl_easy_init(void) {
    pthread_once(&ccurl_once, ccurl_load);
    return ccurl_loaded ? CCURL_FN(CURL *(*)(void), curl_easy_init)() : NULL;
}
void curl_easy_cleanup(CURL *h) { CCURL_FN(void (*)(CURL *), curl_easy_cleanup)(h); }
void curl_easy_reset(CURL *h) { CCURL_FN(void (*)(CURL *), curl_easy_reset)(h); }
CURL *curl_easy_duphandle(CURL *h) { return CCURL_FN(CURL *(*)(CURL *), curl_easy_duphandle)(h); }
CURLcode curl_easy_perform(CURL *h) { return CCURL_FN(CURLcode (*)(CURL *), curl_easy_perform)(h); }
const char *curl_easy_strerror(CURLcode code) {
    return CCURL_FN(const char *(*)(CURLcode), curl_easy_strerror)(code);
}
CURLcode curl_easy_pause(CURL *h, int bitmask) {
    return CCURL_FN(CURLcode (*)(CURL *, int), curl_easy_pause)(h, bitmask);
}
char *curl_easy_escape(CURL *h, const char *string, int length) {
    return CCURL_FN(char *(*)(CURL *, const char *, int), curl_easy_escape)(h, string, length);
}
char *curl_easy_unescape(CURL *h, const char *string, int length, int *outlength) {
    return CCURL_FN(char *(*)(CURL *, const char *, int, int *), curl_easy_unescape)(h, string, length, outlength);
}
CURLcode curl_easy_upkeep(CURL *h) { return CCURL_FN(CURLcode (*)(CURL *), curl_easy_upkeep)(h); }

// The variadic setters take one argument whose type the option's number range gives (as in
// libcurl's own setopt): long below 10000, a pointer (object or function) below 30000, curl_off_t
// below 40000, a pointer (struct curl_blob *) from there.
static int ccurl_forward_setopt(void *fn, void *h, int option, va_list ap) {
    if (option < CURLOPTTYPE_OBJECTPOINT) return ((int (*)(void *, int, long))fn)(h, option, va_arg(ap, long));
    if (option < CURLOPTTYPE_OFF_T) return ((int (*)(void *, int, void *))fn)(h, option, va_arg(ap, void *));
    if (option < CURLOPTTYPE_BLOB) return ((int (*)(void *, int, curl_off_t))fn)(h, option, va_arg(ap, curl_off_t));
    return ((int (*)(void *, int, void *))fn)(h, option, va_arg(ap, void *));
}
CURLcode curl_easy_setopt(CURL *h, CURLoption option, ...) {
    va_list ap;
    va_start(ap, option);
    CURLcode code = (CURLcode)ccurl_forward_setopt(CCURL_FN(void *, curl_easy_setopt), h, (int)option, ap);
    va_end(ap);
    return code;
}
// Every CURLINFO_* takes a pointer to where the answer goes.
CURLcode curl_easy_getinfo(CURL *h, CURLINFO info, ...) {
    va_list ap;
    va_start(ap, info);
    void *out = va_arg(ap, void *);
    va_end(ap);
    return CCURL_FN(CURLcode (*)(CURL *, CURLINFO, void *), curl_easy_getinfo)(h, info, out);
}

CURLM *curl_multi_init(void) {
    pthread_once(&ccurl_once, ccurl_load);
    return ccurl_loaded ? CCURL_FN(CURLM *(*)(void), curl_multi_init)() : NULL;
}
CURLMcode curl_multi_cleanup(CURLM *m) { return CCURL_FN(CURLMcode (*)(CURLM *), curl_multi_cleanup)(m); }
CURLMcode curl_multi_add_handle(CURLM *m, CURL *h) {
    return CCURL_FN(CURLMcode (*)(CURLM *, CURL *), curl_multi_add_handle)(m, h);
}
CURLMcode curl_multi_remove_handle(CURLM *m, CURL *h) {
    return CCURL_FN(CURLMcode (*)(CURLM *, CURL *), curl_multi_remove_handle)(m, h);
}
CURLMcode curl_multi_perform(CURLM *m, int *running) {
    return CCURL_FN(CURLMcode (*)(CURLM *, int *), curl_multi_perform)(m, running);
}
CURLMcode curl_multi_poll(CURLM *m, struct curl_waitfd extra[], unsigned int count, int timeout_ms, int *ret) {
    return CCURL_FN(CURLMcode (*)(CURLM *, struct curl_waitfd *, unsigned int, int, int *), curl_multi_poll)(
        m, extra, count, timeout_ms, ret);
}
CURLMcode curl_multi_wakeup(CURLM *m) { return CCURL_FN(CURLMcode (*)(CURLM *), curl_multi_wakeup)(m); }
CURLMsg *curl_multi_info_read(CURLM *m, int *queued) {
    return CCURL_FN(CURLMsg *(*)(CURLM *, int *), curl_multi_info_read)(m, queued);
}
CURLMcode curl_multi_setopt(CURLM *m, CURLMoption option, ...) {
    va_list ap;
    va_start(ap, option);
    CURLMcode code = (CURLMcode)ccurl_forward_setopt(CCURL_FN(void *, curl_multi_setopt), m, (int)option, ap);
    va_end(ap);
    return code;
}
const char *curl_multi_strerror(CURLMcode code) {
    return CCURL_FN(const char *(*)(CURLMcode), curl_multi_strerror)(code);
}
