#include "COpenSSL.h"

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
