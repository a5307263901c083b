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
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/// BIO_get_mem_data: pointer to and length of a memory BIO's contents.
long signet_BIO_get_mem_data(BIO *bio, const unsigned char **data);

/// STACK_OF(X509) helpers.
STACK_OF(X509) *signet_sk_X509_new_null(void);
int signet_sk_X509_push(STACK_OF(X509) *stack, X509 *cert);
int signet_sk_X509_num(const STACK_OF(X509) *stack);
X509 *signet_sk_X509_value(const STACK_OF(X509) *stack, int index);
void signet_sk_X509_free(STACK_OF(X509) *stack);
void signet_sk_X509_pop_free(STACK_OF(X509) *stack);

#endif
