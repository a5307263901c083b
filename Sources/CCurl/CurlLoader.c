// Loads libcurl on the first HTTP post instead of at process start (see CCurl.h).
//
// The functions are resolved with dlsym on libcurl's own handle and called through pointers
// of the header's types, so the compiler checks every call. libcurl is opened RTLD_LOCAL:
// its symbols (and those of its ≈ 30 dependencies) stay out of the global scope.

#include "CCurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static struct {
    __typeof__(&curl_global_init) global_init;
    __typeof__(&curl_easy_init) easy_init;
    __typeof__(&curl_easy_cleanup) easy_cleanup;
    __typeof__(&curl_easy_perform) easy_perform;
    __typeof__(&curl_easy_strerror) easy_strerror;
    __typeof__(&curl_easy_setopt) easy_setopt;
    __typeof__(&curl_easy_getinfo) easy_getinfo;
    __typeof__(&curl_slist_append) slist_append;
    __typeof__(&curl_slist_free_all) slist_free_all;
} curl;

// Written only inside `load`, under pthread_once, which orders those writes before every
// return from pthread_once in any thread; read-only afterwards.
static pthread_once_t loadOnce = PTHREAD_ONCE_INIT;
static SignetCurlLoadFailure failureStorage;
static const SignetCurlLoadFailure *failure;
static char reasonStorage[512];

static void fail(const char *reason) {
    snprintf(reasonStorage, sizeof reasonStorage, "libcurl.so.4 (Debian package libcurl4): %s",
             reason ? reason : "unknown dynamic loader error");
    failureStorage = (SignetCurlLoadFailure){reasonStorage};
    failure = &failureStorage;
}

static void load(void) {
    // RTLD_NOW: a library that cannot be bound completely fails here, with a message.
    void *handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        fail(dlerror());
        return;
    }
#define RESOLVE(field, name) \
    if ((curl.field = (__typeof__(curl.field))dlsym(handle, #name)) == NULL) { \
        fail("it has no function " #name " (a version too old?)"); \
        return; \
    }
    RESOLVE(global_init, curl_global_init)
    RESOLVE(easy_init, curl_easy_init)
    RESOLVE(easy_cleanup, curl_easy_cleanup)
    RESOLVE(easy_perform, curl_easy_perform)
    RESOLVE(easy_strerror, curl_easy_strerror)
    RESOLVE(easy_setopt, curl_easy_setopt)
    RESOLVE(easy_getinfo, curl_easy_getinfo)
    RESOLVE(slist_append, curl_slist_append)
    RESOLVE(slist_free_all, curl_slist_free_all)
#undef RESOLVE
    // Once, before any handle exists (curl_global_init is not thread-safe).
    CURLcode code = curl.global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) fail(curl.easy_strerror(code));
    // The handle is never closed: libcurl stays loaded for the life of the process.
}

const SignetCurlLoadFailure *signet_curl_load(void) {
    pthread_once(&loadOnce, load);
    return failure;
}

CURL *signet_curl_easy_init(void) { return curl.easy_init(); }
void signet_curl_easy_cleanup(CURL *handle) { curl.easy_cleanup(handle); }
CURLcode signet_curl_easy_perform(CURL *handle) { return curl.easy_perform(handle); }
const char *signet_curl_easy_strerror(CURLcode code) { return curl.easy_strerror(code); }

CURLcode signet_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl.easy_setopt(handle, option, value);
}
CURLcode signet_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl.easy_setopt(handle, option, value);
}
CURLcode signet_curl_setopt_pointer(CURL *handle, CURLoption option, const void *value) {
    return curl.easy_setopt(handle, option, value);
}
CURLcode signet_curl_setopt_write_function(CURL *handle, curl_write_callback callback) {
    return curl.easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}
CURLcode signet_curl_setopt_xferinfo_function(CURL *handle, curl_xferinfo_callback callback) {
    return curl.easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

CURLcode signet_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl.easy_getinfo(handle, info, value);
}
CURLcode signet_curl_getinfo_string(CURL *handle, CURLINFO info, const char **value) {
    return curl.easy_getinfo(handle, info, value);
}

struct curl_slist *signet_curl_slist_append(struct curl_slist *list, const char *string) {
    return curl.slist_append(list, string);
}
void signet_curl_slist_free_all(struct curl_slist *list) { curl.slist_free_all(list); }
