#include "COpenSSL.h"
#include <string.h>

long signet_BIO_get_mem_data(BIO *bio, const unsigned char **data) {
    char *ptr = NULL;
    long len = BIO_get_mem_data(bio, &ptr);
    *data = (const unsigned char *)ptr;
    return len;
}

STACK_OF(X509) *signet_sk_X509_new_null(void) { return sk_X509_new_null(); }
int signet_sk_X509_push(STACK_OF(X509) *stack, X509 *cert) { return sk_X509_push(stack, cert); }
int signet_sk_X509_num(const STACK_OF(X509) *stack) { return sk_X509_num(stack); }
X509 *signet_sk_X509_value(const STACK_OF(X509) *stack, int index) { return sk_X509_value(stack, index); }
void signet_sk_X509_free(STACK_OF(X509) *stack) { sk_X509_free(stack); }
void signet_sk_X509_pop_free(STACK_OF(X509) *stack) { sk_X509_pop_free(stack, X509_free); }

int signet_X509_NAME_print_rfc2253(BIO *bio, const X509_NAME *name) {
    return X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
}

int signet_sk_ASN1_OBJECT_num(const STACK_OF(ASN1_OBJECT) *stack) { return sk_ASN1_OBJECT_num(stack); }
const ASN1_OBJECT *signet_sk_ASN1_OBJECT_value(const STACK_OF(ASN1_OBJECT) *stack, int index) {
    return sk_ASN1_OBJECT_value(stack, index);
}
void signet_EXTENDED_KEY_USAGE_free(STACK_OF(ASN1_OBJECT) *stack) { sk_ASN1_OBJECT_pop_free(stack, ASN1_OBJECT_free); }

int signet_sk_OPENSSL_STRING_num(const STACK_OF(OPENSSL_STRING) *stack) { return sk_OPENSSL_STRING_num(stack); }
const char *signet_sk_OPENSSL_STRING_value(const STACK_OF(OPENSSL_STRING) *stack, int index) {
    return sk_OPENSSL_STRING_value(stack, index);
}

char *signet_X509_crl_distribution_uris(X509 *cert) {
    STACK_OF(DIST_POINT) *points = X509_get_ext_d2i(cert, NID_crl_distribution_points, NULL, NULL);
    if (points == NULL) return NULL;
    BIO *out = BIO_new(BIO_s_mem());
    int first = 1;
    for (int i = 0; out != NULL && i < sk_DIST_POINT_num(points); i++) {
        DIST_POINT *point = sk_DIST_POINT_value(points, i);
        if (point->distpoint == NULL || point->distpoint->type != 0) continue;
        GENERAL_NAMES *names = point->distpoint->name.fullname;
        for (int j = 0; j < sk_GENERAL_NAME_num(names); j++) {
            GENERAL_NAME *name = sk_GENERAL_NAME_value(names, j);
            if (name->type != GEN_URI) continue;
            if (!first) BIO_write(out, "\n", 1);
            BIO_write(out, ASN1_STRING_get0_data(name->d.uniformResourceIdentifier),
                      ASN1_STRING_length(name->d.uniformResourceIdentifier));
            first = 0;
        }
    }
    sk_DIST_POINT_pop_free(points, DIST_POINT_free);
    char *result = NULL;
    if (out != NULL && !first) {
        char *data = NULL;
        long len = BIO_get_mem_data(out, &data);
        result = OPENSSL_malloc(len + 1);
        if (result != NULL) { memcpy(result, data, len); result[len] = 0; }
    }
    BIO_free(out);
    return result;
}

void signet_OPENSSL_free(void *ptr) { OPENSSL_free(ptr); }

int signet_pem_password_cb(char *buf, int size, int rwflag, void *u) {
    (void)rwflag;
    if (u == NULL || size <= 0) return 0;
    size_t len = strlen((const char *)u);
    if (len > (size_t)size) return 0;
    memcpy(buf, u, len);
    return (int)len;
}
