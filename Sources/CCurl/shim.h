// Typed wrappers over libcurl's variadic calls, which Swift cannot call directly. libcurl itself is
// loaded on first use (loader.c), not linked.
#ifndef MEDIACTL_CCURL_SHIM_H
#define MEDIACTL_CCURL_SHIM_H
#include <curl/curl.h>

typedef size_t (*ccurl_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*ccurl_xferinfo_callback)(void *clientp, curl_off_t dltotal, curl_off_t dlnow,
                                       curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode ccurl_setopt_long(CURL *h, CURLoption opt, long value) {
    return curl_easy_setopt(h, opt, value);
}
static inline CURLcode ccurl_setopt_off(CURL *h, CURLoption opt, curl_off_t value) {
    return curl_easy_setopt(h, opt, value);
}
static inline CURLcode ccurl_setopt_string(CURL *h, CURLoption opt, const char *value) {
    return curl_easy_setopt(h, opt, value);
}
static inline CURLcode ccurl_setopt_pointer(CURL *h, CURLoption opt, void *value) {
    return curl_easy_setopt(h, opt, value);
}
static inline CURLcode ccurl_setopt_slist(CURL *h, CURLoption opt, struct curl_slist *value) {
    return curl_easy_setopt(h, opt, value);
}
static inline CURLcode ccurl_setopt_data_callback(CURL *h, CURLoption opt, ccurl_data_callback cb) {
    return curl_easy_setopt(h, opt, cb);
}
static inline CURLcode ccurl_setopt_xferinfo_callback(CURL *h, ccurl_xferinfo_callback cb) {
    return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, cb);
}
typedef int (*ccurl_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size, void *userdata);
/// CURLOPT_DEBUGFUNCTION: with CURLOPT_VERBOSE it sees every request header block libcurl sends (one per send,
/// its own silent re-sends included) and nothing is printed.
static inline CURLcode ccurl_setopt_debug_callback(CURL *h, ccurl_debug_callback cb) {
    return curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, cb);
}
static inline CURLcode ccurl_getinfo_long(CURL *h, CURLINFO info, long *out) {
    return curl_easy_getinfo(h, info, out);
}
/// Why libcurl.so.4 could not be loaded, after a curl_global_init that failed ("" otherwise).
const char *ccurl_load_error(void);
#endif
