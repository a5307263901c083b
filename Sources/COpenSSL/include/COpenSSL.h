// COpenSSL: OpenSSL 3 for Swift. Imported by SignetCrypto only.
// OpenSSL's function-like macros and variadic helpers cannot be called from Swift;
// the signet_* functions below wrap them (see shim.c).
#ifndef SIGNET_COPENSSL_H
#define SIGNET_COPENSSL_H

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "COpenSSL_pki.h"

/// BIO_get_mem_data: pointer to and length of a memory BIO's contents.
long signet_BIO_get_mem_data(BIO *bio, const unsigned char **data);

/// STACK_OF(X509) helpers.
STACK_OF(X509) *signet_sk_X509_new_null(void);
int signet_sk_X509_push(STACK_OF(X509) *stack, X509 *cert);
int signet_sk_X509_num(const STACK_OF(X509) *stack);
X509 *signet_sk_X509_value(const STACK_OF(X509) *stack, int index);
void signet_sk_X509_free(STACK_OF(X509) *stack);
void signet_sk_X509_pop_free(STACK_OF(X509) *stack);

/// X509_NAME in RFC 2253 form (XN_FLAG_RFC2253), written to a memory BIO.
int signet_X509_NAME_print_rfc2253(BIO *bio, const X509_NAME *name);

/// STACK_OF(ASN1_OBJECT), e.g. an extended key usage extension.
int signet_sk_ASN1_OBJECT_num(const STACK_OF(ASN1_OBJECT) *stack);
const ASN1_OBJECT *signet_sk_ASN1_OBJECT_value(const STACK_OF(ASN1_OBJECT) *stack, int index);
void signet_EXTENDED_KEY_USAGE_free(STACK_OF(ASN1_OBJECT) *stack);

/// STACK_OF(OPENSSL_STRING), e.g. from X509_get1_ocsp; free with X509_email_free.
int signet_sk_OPENSSL_STRING_num(const STACK_OF(OPENSSL_STRING) *stack);
const char *signet_sk_OPENSSL_STRING_value(const STACK_OF(OPENSSL_STRING) *stack, int index);

/// The URIs of a certificate's CRL distribution points (fullName URIs only), joined by
/// '\n' into a string the caller frees with OPENSSL_free; NULL when there are none.
char *signet_X509_crl_distribution_uris(X509 *cert);

/// OPENSSL_free (a macro).
void signet_OPENSSL_free(void *ptr);

/// A pem_password_cb that never prompts: `u` is a NUL-terminated passphrase or NULL
/// (NULL: no passphrase, so reading an encrypted key fails instead of asking a terminal).
int signet_pem_password_cb(char *buf, int size, int rwflag, void *u);

#endif
