// libcurl for SignetCrypto's HTTP transport (RFC 3161 and OCSP posts), and nothing else.
//
// libcurl is not linked: with its dependencies (nghttp2, libssh2, Kerberos, LDAP, libpsl,
// libidn2, ...) it is ≈ 30 shared libraries, which every start of `signet` would load, also
// `signet verify`, which never goes on the network. CurlLoader.c opens libcurl.so.4 with
// dlopen on the first post and calls it through the function pointers it resolved.
// Call signet_curl_load() before any other function of this module.
//
// The wrappers are not variadic (Swift cannot call curl_easy_setopt/getinfo, which are);
// each passes one argument of the type the option documents.
#ifndef SIGNET_CCURL_H
#define SIGNET_CCURL_H

#include <curl/curl.h>

/// Why libcurl could not be loaded. The string is static and stays valid.
typedef struct SignetCurlLoadFailure {
    /// What the dynamic loader said (dlerror), or which function is missing.
    const char *_Nonnull reason;
} SignetCurlLoadFailure;

/// Opens libcurl.so.4, resolves the functions below and runs curl_global_init, once per
/// process (thread-safe); later calls return the first call's outcome.
/// Returns NULL when libcurl can be used, otherwise the failure (static, never freed).
const SignetCurlLoadFailure *_Nullable signet_curl_load(void);

/// curl_easy_init. NULL when out of memory.
CURL *_Nullable signet_curl_easy_init(void);
/// curl_easy_cleanup.
void signet_curl_easy_cleanup(CURL *_Nonnull handle);
/// curl_easy_perform.
CURLcode signet_curl_easy_perform(CURL *_Nonnull handle);
/// curl_easy_strerror: a static description of `code`.
const char *_Nonnull signet_curl_easy_strerror(CURLcode code);

/// curl_easy_setopt for options taking a long.
CURLcode signet_curl_setopt_long(CURL *_Nonnull handle, CURLoption option, long value);
/// curl_easy_setopt for options taking a curl_off_t.
CURLcode signet_curl_setopt_off_t(CURL *_Nonnull handle, CURLoption option, curl_off_t value);
/// curl_easy_setopt for options taking a pointer (strings, buffers, lists, callback data).
CURLcode signet_curl_setopt_pointer(CURL *_Nonnull handle, CURLoption option, const void *_Nullable value);
/// CURLOPT_WRITEFUNCTION.
CURLcode signet_curl_setopt_write_function(CURL *_Nonnull handle, curl_write_callback _Nonnull callback);
/// CURLOPT_XFERINFOFUNCTION.
CURLcode signet_curl_setopt_xferinfo_function(CURL *_Nonnull handle, curl_xferinfo_callback _Nonnull callback);

/// curl_easy_getinfo for information of type long (CURLINFO_RESPONSE_CODE, ...).
CURLcode signet_curl_getinfo_long(CURL *_Nonnull handle, CURLINFO info, long *_Nonnull value);
/// curl_easy_getinfo for information of type char * (CURLINFO_CONTENT_TYPE, ...); the
/// string belongs to the handle.
CURLcode signet_curl_getinfo_string(CURL *_Nonnull handle, CURLINFO info, const char *_Nullable *_Nonnull value);

/// curl_slist_append: a new list (or `list` extended); NULL when out of memory.
struct curl_slist *_Nullable signet_curl_slist_append(struct curl_slist *_Nullable list, const char *_Nonnull string);
/// curl_slist_free_all.
void signet_curl_slist_free_all(struct curl_slist *_Nullable list);

#endif
