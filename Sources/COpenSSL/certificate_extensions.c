// Certificate extensions for issuing and reading them (COpenSSL_pki.h, "Certificate
// extensions").
// Every function leaves OpenSSL's error queue describing a failure and frees what it
// allocated.
#include "COpenSSL.h"
#include "pki_support.h"
#include <string.h>

int signet_pki_add_basic_constraints(X509 *cert, int ca, int pathlen, int critical) {
    BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
    if (bc == NULL) return 0;
    bc->ca = ca ? 0xFF : 0;
    int ok = 1;
    if (ca && pathlen >= 0) {
        bc->pathlen = ASN1_INTEGER_new();
        ok = bc->pathlen != NULL && ASN1_INTEGER_set(bc->pathlen, pathlen);
    }
    ok = ok && X509_add1_ext_i2d(cert, NID_basic_constraints, bc, critical, X509V3_ADD_REPLACE) == 1;
    BASIC_CONSTRAINTS_free(bc);
    return ok;
}

int signet_pki_add_key_usage(X509 *cert, unsigned int flags, int critical) {
    ASN1_BIT_STRING *bits = ASN1_BIT_STRING_new();
    if (bits == NULL) return 0;
    int ok = 1;
    // KU_* flags: bit n of the BIT STRING is 0x80 >> n for n < 8; decipherOnly (bit 8) is 0x8000.
    for (int n = 0; n < 8 && ok; n++) {
        if (flags & (0x80u >> n)) ok = ASN1_BIT_STRING_set_bit(bits, n, 1);
    }
    if (ok && (flags & 0x8000u)) ok = ASN1_BIT_STRING_set_bit(bits, 8, 1);
    ok = ok && X509_add1_ext_i2d(cert, NID_key_usage, bits, critical, X509V3_ADD_REPLACE) == 1;
    ASN1_BIT_STRING_free(bits);
    return ok;
}

int signet_pki_add_ext_key_usage(X509 *cert, const char *const *oids, int count, int critical) {
    EXTENDED_KEY_USAGE *eku = sk_ASN1_OBJECT_new_null();
    if (eku == NULL) return 0;
    int ok = 1;
    for (int i = 0; i < count && ok; i++) {
        ASN1_OBJECT *object = OBJ_txt2obj(oids[i], 1);
        ok = object != NULL && sk_ASN1_OBJECT_push(eku, object) > 0;
        if (!ok) ASN1_OBJECT_free(object);
    }
    ok = ok && X509_add1_ext_i2d(cert, NID_ext_key_usage, eku, critical, X509V3_ADD_REPLACE) == 1;
    sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
    return ok;
}

int signet_pki_add_crl_distribution_points(X509 *cert, const char *const *uris, int count) {
    CRL_DIST_POINTS *points = sk_DIST_POINT_new_null();
    if (points == NULL) return 0;
    int ok = 1;
    for (int i = 0; i < count && ok; i++) {
        DIST_POINT *point = DIST_POINT_new();
        DIST_POINT_NAME *name = DIST_POINT_NAME_new();
        GENERAL_NAMES *names = GENERAL_NAMES_new();
        GENERAL_NAME *uri = signet_pki_uri_name(uris[i]);
        ok = point != NULL && name != NULL && names != NULL && uri != NULL;
        if (ok) {
            ok = sk_GENERAL_NAME_push(names, uri) > 0;
            if (ok) uri = NULL;
        }
        if (ok) {
            name->type = 0;  // fullName
            name->name.fullname = names;
            names = NULL;
            point->distpoint = name;
            name = NULL;
            ok = sk_DIST_POINT_push(points, point) > 0;
            if (ok) point = NULL;
        }
        GENERAL_NAME_free(uri);
        GENERAL_NAMES_free(names);
        DIST_POINT_NAME_free(name);
        DIST_POINT_free(point);
    }
    ok = ok && X509_add1_ext_i2d(cert, NID_crl_distribution_points, points, 0, X509V3_ADD_REPLACE) == 1;
    sk_DIST_POINT_pop_free(points, DIST_POINT_free);
    return ok;
}

static int signet_pki_push_access(AUTHORITY_INFO_ACCESS *aia, int method, const char *uri) {
    ACCESS_DESCRIPTION *description = ACCESS_DESCRIPTION_new();
    GENERAL_NAME *name = signet_pki_uri_name(uri);
    if (description == NULL || name == NULL) {
        ACCESS_DESCRIPTION_free(description);
        GENERAL_NAME_free(name);
        return 0;
    }
    ASN1_OBJECT_free(description->method);
    description->method = OBJ_nid2obj(method);
    GENERAL_NAME_free(description->location);
    description->location = name;
    if (sk_ACCESS_DESCRIPTION_push(aia, description) <= 0) {
        ACCESS_DESCRIPTION_free(description);
        return 0;
    }
    return 1;
}

int signet_pki_add_authority_info_access(X509 *cert, const char *const *ocsp, int ocsp_count,
                                         const char *const *ca_issuers, int ca_issuers_count) {
    AUTHORITY_INFO_ACCESS *aia = sk_ACCESS_DESCRIPTION_new_null();
    if (aia == NULL) return 0;
    int ok = 1;
    for (int i = 0; i < ocsp_count && ok; i++) ok = signet_pki_push_access(aia, NID_ad_OCSP, ocsp[i]);
    for (int i = 0; i < ca_issuers_count && ok; i++) ok = signet_pki_push_access(aia, NID_ad_ca_issuers, ca_issuers[i]);
    ok = ok && X509_add1_ext_i2d(cert, NID_info_access, aia, 0, X509V3_ADD_REPLACE) == 1;
    AUTHORITY_INFO_ACCESS_free(aia);
    return ok;
}

int signet_pki_add_subject_alt_uris(X509 *cert, const char *const *uris, int count) {
    GENERAL_NAMES *names = GENERAL_NAMES_new();
    if (names == NULL) return 0;
    int ok = 1;
    for (int i = 0; i < count && ok; i++) {
        GENERAL_NAME *name = signet_pki_uri_name(uris[i]);
        ok = name != NULL && sk_GENERAL_NAME_push(names, name) > 0;
        if (!ok) GENERAL_NAME_free(name);
    }
    ok = ok && X509_add1_ext_i2d(cert, NID_subject_alt_name, names, 0, X509V3_ADD_REPLACE) == 1;
    GENERAL_NAMES_free(names);
    return ok;
}

char *signet_pki_subject_alt_uris(X509 *cert) {
    GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
    if (names == NULL) return NULL;
    BIO *bio = BIO_new(BIO_s_mem());
    int first = 1;
    for (int i = 0; bio != NULL && i < sk_GENERAL_NAME_num(names); i++) {
        GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
        if (name->type != GEN_URI) continue;
        if (!first) BIO_write(bio, "\n", 1);
        BIO_write(bio, ASN1_STRING_get0_data(name->d.uniformResourceIdentifier),
                  ASN1_STRING_length(name->d.uniformResourceIdentifier));
        first = 0;
    }
    char *result = bio != NULL ? signet_pki_bio_string(bio) : NULL;
    BIO_free(bio);
    GENERAL_NAMES_free(names);
    return result;
}

int signet_pki_public_key_sha1(X509 *cert, unsigned char out[20]) {
    unsigned int length = 0;
    return X509_pubkey_digest(cert, EVP_sha1(), out, &length) == 1 && length == 20;
}

int signet_pki_add_subject_key_identifier(X509 *cert) {
    unsigned char hash[20];
    if (!signet_pki_public_key_sha1(cert, hash)) return 0;
    ASN1_OCTET_STRING *ski = signet_pki_octets(hash, sizeof hash);
    if (ski == NULL) return 0;
    int ok = X509_add1_ext_i2d(cert, NID_subject_key_identifier, ski, 0, X509V3_ADD_REPLACE) == 1;
    ASN1_OCTET_STRING_free(ski);
    return ok;
}

int signet_pki_add_authority_key_identifier(X509 *cert, const unsigned char *keyid, int length) {
    AUTHORITY_KEYID *akid = signet_pki_akid(keyid, length);
    if (akid == NULL) return 0;
    int ok = X509_add1_ext_i2d(cert, NID_authority_key_identifier, akid, 0, X509V3_ADD_REPLACE) == 1;
    AUTHORITY_KEYID_free(akid);
    return ok;
}

int signet_pki_add_ocsp_nocheck(X509 *cert) {
    ASN1_NULL *null = ASN1_NULL_new();
    if (null == NULL) return 0;
    int ok = X509_add1_ext_i2d(cert, NID_id_pkix_OCSP_noCheck, null, 0, X509V3_ADD_REPLACE) == 1;
    ASN1_NULL_free(null);
    return ok;
}

int signet_pki_add_raw_extension(X509 *cert, const char *oid, int critical,
                                 const unsigned char *der, int length) {
    ASN1_OBJECT *object = OBJ_txt2obj(oid, 1);
    ASN1_OCTET_STRING *value = signet_pki_octets(der, length);
    X509_EXTENSION *extension = NULL;
    int ok = object != NULL && value != NULL
        && (extension = X509_EXTENSION_create_by_OBJ(NULL, object, critical, value)) != NULL
        && X509_add_ext(cert, extension, -1) == 1;
    X509_EXTENSION_free(extension);
    ASN1_OCTET_STRING_free(value);
    ASN1_OBJECT_free(object);
    return ok;
}

int signet_pki_extension_value(X509 *cert, const char *oid, unsigned char **out) {
    *out = NULL;
    ASN1_OBJECT *object = OBJ_txt2obj(oid, 1);
    if (object == NULL) return -1;
    int index = X509_get_ext_by_OBJ(cert, object, -1);
    ASN1_OBJECT_free(object);
    if (index < 0) return -1;
    X509_EXTENSION *extension = X509_get_ext(cert, index);
    ASN1_OCTET_STRING *data = extension != NULL ? X509_EXTENSION_get_data(extension) : NULL;
    if (data == NULL) return -1;
    int length = ASN1_STRING_length(data);
    *out = OPENSSL_malloc(length > 0 ? (size_t)length : 1);
    if (*out == NULL) return -1;
    if (length > 0) memcpy(*out, ASN1_STRING_get0_data(data), (size_t)length);
    return length;
}

char *signet_pki_unsupported_critical_extensions(X509 *cert) {
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return NULL;
    int first = 1;
    for (int i = 0; i < X509_get_ext_count(cert); i++) {
        X509_EXTENSION *extension = X509_get_ext(cert, i);
        if (!X509_EXTENSION_get_critical(extension) || X509_supported_extension(extension)) continue;
        signet_pki_append_oid(bio, X509_EXTENSION_get_object(extension), &first);
    }
    char *result = signet_pki_bio_string(bio);
    BIO_free(bio);
    return result;
}
