// Helpers shared by the pki files of the COpenSSL shim (pki_support.h).
// Every function leaves OpenSSL's error queue describing a failure and frees what it
// allocated.
#include "COpenSSL.h"
#include "pki_support.h"
#include <string.h>

/// Joins strings written to a memory BIO; returns an OPENSSL_malloc'd copy or NULL when empty.
char *signet_pki_bio_string(BIO *bio) {
    char *data = NULL;
    long length = BIO_get_mem_data(bio, &data);
    if (length <= 0) return NULL;
    char *result = OPENSSL_malloc((size_t)length + 1);
    if (result == NULL) return NULL;
    memcpy(result, data, (size_t)length);
    result[length] = 0;
    return result;
}

void signet_pki_append_oid(BIO *bio, const ASN1_OBJECT *object, int *first) {
    char buffer[128];
    int length = OBJ_obj2txt(buffer, sizeof buffer, object, 1);
    if (length <= 0) return;
    if (!*first) BIO_write(bio, "\n", 1);
    BIO_write(bio, buffer, length < (int)sizeof buffer ? length : (int)sizeof buffer - 1);
    *first = 0;
}

GENERAL_NAME *signet_pki_uri_name(const char *uri) {
    GENERAL_NAME *name = GENERAL_NAME_new();
    ASN1_IA5STRING *value = ASN1_IA5STRING_new();
    if (name == NULL || value == NULL || !ASN1_STRING_set(value, uri, (int)strlen(uri))) {
        GENERAL_NAME_free(name);
        ASN1_IA5STRING_free(value);
        return NULL;
    }
    GENERAL_NAME_set0_value(name, GEN_URI, value);
    return name;
}

ASN1_OCTET_STRING *signet_pki_octets(const unsigned char *bytes, int length) {
    ASN1_OCTET_STRING *octets = ASN1_OCTET_STRING_new();
    if (octets == NULL || !ASN1_OCTET_STRING_set(octets, bytes, length)) {
        ASN1_OCTET_STRING_free(octets);
        return NULL;
    }
    return octets;
}

ASN1_INTEGER *signet_pki_integer(const unsigned char *bytes, int length) {
    BIGNUM *bn = BN_bin2bn(bytes, length, NULL);
    if (bn == NULL) return NULL;
    ASN1_INTEGER *integer = BN_to_ASN1_INTEGER(bn, NULL);
    BN_free(bn);
    return integer;
}

AUTHORITY_KEYID *signet_pki_akid(const unsigned char *keyid, int length) {
    AUTHORITY_KEYID *akid = AUTHORITY_KEYID_new();
    if (akid == NULL) return NULL;
    akid->keyid = signet_pki_octets(keyid, length);
    if (akid->keyid == NULL) {
        AUTHORITY_KEYID_free(akid);
        return NULL;
    }
    return akid;
}
