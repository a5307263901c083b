// The pki part of the COpenSSL shim: certificate extensions, CRLs, OCSP and
// path-validation helpers (see COpenSSL_pki.h). Every function leaves OpenSSL's error
// queue describing a failure and frees what it allocated.
#include "COpenSSL.h"
#include <string.h>

// MARK: - Helpers

/// Joins strings written to a memory BIO; returns an OPENSSL_malloc'd copy or NULL when empty.
static char *signet_pki_bio_string(BIO *bio) {
    char *data = NULL;
    long length = BIO_get_mem_data(bio, &data);
    if (length <= 0) return NULL;
    char *result = OPENSSL_malloc((size_t)length + 1);
    if (result == NULL) return NULL;
    memcpy(result, data, (size_t)length);
    result[length] = 0;
    return result;
}

static void signet_pki_append_oid(BIO *bio, const ASN1_OBJECT *object, int *first) {
    char buffer[128];
    int length = OBJ_obj2txt(buffer, sizeof buffer, object, 1);
    if (length <= 0) return;
    if (!*first) BIO_write(bio, "\n", 1);
    BIO_write(bio, buffer, length < (int)sizeof buffer ? length : (int)sizeof buffer - 1);
    *first = 0;
}

static GENERAL_NAME *signet_pki_uri_name(const char *uri) {
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

static ASN1_OCTET_STRING *signet_pki_octets(const unsigned char *bytes, int length) {
    ASN1_OCTET_STRING *octets = ASN1_OCTET_STRING_new();
    if (octets == NULL || !ASN1_OCTET_STRING_set(octets, bytes, length)) {
        ASN1_OCTET_STRING_free(octets);
        return NULL;
    }
    return octets;
}

static ASN1_INTEGER *signet_pki_integer(const unsigned char *bytes, int length) {
    BIGNUM *bn = BN_bin2bn(bytes, length, NULL);
    if (bn == NULL) return NULL;
    ASN1_INTEGER *integer = BN_to_ASN1_INTEGER(bn, NULL);
    BN_free(bn);
    return integer;
}

// MARK: - Certificate extensions (issuing)

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

static AUTHORITY_KEYID *signet_pki_akid(const unsigned char *keyid, int length) {
    AUTHORITY_KEYID *akid = AUTHORITY_KEYID_new();
    if (akid == NULL) return NULL;
    akid->keyid = signet_pki_octets(keyid, length);
    if (akid->keyid == NULL) {
        AUTHORITY_KEYID_free(akid);
        return NULL;
    }
    return akid;
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

// MARK: - Path validation helpers

int signet_pki_policy_check(STACK_OF(X509) *chain) {
    X509_POLICY_TREE *tree = NULL;
    int explicit_policy = 0;
    STACK_OF(ASN1_OBJECT) *initial = sk_ASN1_OBJECT_new_null();
    if (initial == NULL) return -2;
    ASN1_OBJECT *any = OBJ_nid2obj(NID_any_policy);
    if (any == NULL || sk_ASN1_OBJECT_push(initial, any) <= 0) {
        sk_ASN1_OBJECT_free(initial);
        return -2;
    }
    int ret = X509_policy_check(&tree, &explicit_policy, chain, initial, 0);
    X509_policy_tree_free(tree);
    sk_ASN1_OBJECT_free(initial);
    switch (ret) {
    case X509_PCY_TREE_FAILURE: return 0;
    case X509_PCY_TREE_INVALID: return -1;
    case X509_PCY_TREE_INTERNAL: return -2;
    default:
        // A positive bit mask. An explicit policy is required but the tree is empty: failure.
        if ((ret & X509_PCY_TREE_EXPLICIT) && (ret & X509_PCY_TREE_EMPTY)) return 0;
        return 1;
    }
}

int signet_pki_check_name_constraints(X509 *cert, X509 *ca) {
    NAME_CONSTRAINTS *nc = X509_get_ext_d2i(ca, NID_name_constraints, NULL, NULL);
    if (nc == NULL) return X509_V_OK;
    int result = NAME_CONSTRAINTS_check(cert, nc);
    NAME_CONSTRAINTS_free(nc);
    return result;
}

// MARK: - CRLs

int signet_pki_revoked_count(X509_CRL *crl) {
    STACK_OF(X509_REVOKED) *revoked = X509_CRL_get_REVOKED(crl);
    return revoked == NULL ? 0 : sk_X509_REVOKED_num(revoked);
}

X509_REVOKED *signet_pki_revoked_value(X509_CRL *crl, int index) {
    STACK_OF(X509_REVOKED) *revoked = X509_CRL_get_REVOKED(crl);
    return revoked == NULL ? NULL : sk_X509_REVOKED_value(revoked, index);
}

int signet_pki_crl_add_revoked(X509_CRL *crl, const unsigned char *serial, int serial_length,
                               time_t revoked_at, int reason, time_t invalidity) {
    X509_REVOKED *entry = X509_REVOKED_new();
    ASN1_INTEGER *number = signet_pki_integer(serial, serial_length);
    ASN1_TIME *date = ASN1_TIME_set(NULL, revoked_at);
    int ok = entry != NULL && number != NULL && date != NULL
        && X509_REVOKED_set_serialNumber(entry, number) == 1
        && X509_REVOKED_set_revocationDate(entry, date) == 1;
    if (ok && reason >= 0) {
        ASN1_ENUMERATED *code = ASN1_ENUMERATED_new();
        ok = code != NULL && ASN1_ENUMERATED_set(code, reason) == 1
            && X509_REVOKED_add1_ext_i2d(entry, NID_crl_reason, code, 0, X509V3_ADD_REPLACE) == 1;
        ASN1_ENUMERATED_free(code);
    }
    if (ok && invalidity >= 0) {
        // invalidityDate is always a GeneralizedTime (RFC 5280 §5.3.2).
        ASN1_GENERALIZEDTIME *when = ASN1_GENERALIZEDTIME_set(NULL, invalidity);
        ok = when != NULL
            && X509_REVOKED_add1_ext_i2d(entry, NID_invalidity_date, when, 0, X509V3_ADD_REPLACE) == 1;
        ASN1_GENERALIZEDTIME_free(when);
    }
    ok = ok && X509_CRL_add0_revoked(crl, entry) == 1;
    if (ok) entry = NULL;
    ASN1_TIME_free(date);
    ASN1_INTEGER_free(number);
    X509_REVOKED_free(entry);
    return ok;
}

int signet_pki_crl_add_number(X509_CRL *crl, const unsigned char *number, int length) {
    ASN1_INTEGER *value = signet_pki_integer(number, length);
    if (value == NULL) return 0;
    int ok = X509_CRL_add1_ext_i2d(crl, NID_crl_number, value, 0, X509V3_ADD_REPLACE) == 1;
    ASN1_INTEGER_free(value);
    return ok;
}

int signet_pki_crl_add_authority_key_identifier(X509_CRL *crl, const unsigned char *keyid, int length) {
    AUTHORITY_KEYID *akid = signet_pki_akid(keyid, length);
    if (akid == NULL) return 0;
    int ok = X509_CRL_add1_ext_i2d(crl, NID_authority_key_identifier, akid, 0, X509V3_ADD_REPLACE) == 1;
    AUTHORITY_KEYID_free(akid);
    return ok;
}

int signet_pki_crl_idp(X509_CRL *crl, signet_pki_idp_info *info) {
    memset(info, 0, sizeof *info);
    int index = X509_CRL_get_ext_by_NID(crl, NID_issuing_distribution_point, -1);
    if (index < 0) return 1;
    info->present = 1;
    info->critical = X509_EXTENSION_get_critical(X509_CRL_get_ext(crl, index));
    ISSUING_DIST_POINT *idp = X509_CRL_get_ext_d2i(crl, NID_issuing_distribution_point, NULL, NULL);
    if (idp == NULL) return 0;
    info->has_distribution_point = idp->distpoint != NULL;
    info->only_user_certs = idp->onlyuser > 0;
    info->only_ca_certs = idp->onlyCA > 0;
    info->only_some_reasons = idp->onlysomereasons != NULL;
    info->indirect_crl = idp->indirectCRL > 0;
    info->only_attribute_certs = idp->onlyattr > 0;
    if (idp->distpoint != NULL && idp->distpoint->type == 0) {
        BIO *bio = BIO_new(BIO_s_mem());
        int first = 1;
        GENERAL_NAMES *names = idp->distpoint->name.fullname;
        for (int i = 0; bio != NULL && i < sk_GENERAL_NAME_num(names); i++) {
            GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
            if (name->type != GEN_URI) continue;
            if (!first) BIO_write(bio, "\n", 1);
            BIO_write(bio, ASN1_STRING_get0_data(name->d.uniformResourceIdentifier),
                      ASN1_STRING_length(name->d.uniformResourceIdentifier));
            first = 0;
        }
        if (bio != NULL) info->uris = signet_pki_bio_string(bio);
        BIO_free(bio);
    }
    ISSUING_DIST_POINT_free(idp);
    return 1;
}

static int signet_pki_crl_extension_handled(int nid) {
    return nid == NID_crl_number || nid == NID_authority_key_identifier
        || nid == NID_issuing_distribution_point || nid == NID_delta_crl
        || nid == NID_issuer_alt_name || nid == NID_freshest_crl;
}

static int signet_pki_entry_extension_handled(int nid) {
    return nid == NID_crl_reason || nid == NID_invalidity_date
        || nid == NID_certificate_issuer || nid == NID_hold_instruction_code;
}

char *signet_pki_crl_unsupported_critical_extensions(X509_CRL *crl) {
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return NULL;
    int first = 1;
    for (int i = 0; i < X509_CRL_get_ext_count(crl); i++) {
        X509_EXTENSION *extension = X509_CRL_get_ext(crl, i);
        ASN1_OBJECT *object = X509_EXTENSION_get_object(extension);
        if (X509_EXTENSION_get_critical(extension) && !signet_pki_crl_extension_handled(OBJ_obj2nid(object)))
            signet_pki_append_oid(bio, object, &first);
    }
    for (int r = 0; r < signet_pki_revoked_count(crl); r++) {
        X509_REVOKED *entry = signet_pki_revoked_value(crl, r);
        for (int i = 0; i < X509_REVOKED_get_ext_count(entry); i++) {
            X509_EXTENSION *extension = X509_REVOKED_get_ext(entry, i);
            ASN1_OBJECT *object = X509_EXTENSION_get_object(extension);
            if (X509_EXTENSION_get_critical(extension) && !signet_pki_entry_extension_handled(OBJ_obj2nid(object)))
                signet_pki_append_oid(bio, object, &first);
        }
    }
    char *result = signet_pki_bio_string(bio);
    BIO_free(bio);
    return result;
}

// MARK: - OCSP

const STACK_OF(X509) *signet_pki_ocsp_certs(OCSP_BASICRESP *basic) {
    return OCSP_resp_get0_certs(basic);
}

int signet_pki_ocsp_set_produced_at(OCSP_BASICRESP *basic, time_t when) {
    // producedAt is a required field that OCSP_BASICRESP_new allocates; the getter is
    // const only because the structure is opaque.
    ASN1_GENERALIZEDTIME *produced = (ASN1_GENERALIZEDTIME *)OCSP_resp_get0_produced_at(basic);
    return produced != NULL && ASN1_GENERALIZEDTIME_set(produced, when) != NULL;
}

static int signet_pki_nonce_value(X509_EXTENSION *extension, unsigned char **out) {
    *out = NULL;
    ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(extension);
    if (data == NULL) return -1;
    const unsigned char *bytes = ASN1_STRING_get0_data(data);
    int length = ASN1_STRING_length(data);
    // RFC 6960 §4.4.1: the extnValue holds an OCTET STRING; unwrap it when it does.
    const unsigned char *cursor = bytes;
    ASN1_OCTET_STRING *inner = d2i_ASN1_OCTET_STRING(NULL, &cursor, length);
    if (inner != NULL && cursor == bytes + length) {
        bytes = ASN1_STRING_get0_data(inner);
        length = ASN1_STRING_length(inner);
    } else {
        ERR_clear_error();
    }
    *out = OPENSSL_malloc(length > 0 ? (size_t)length : 1);
    if (*out != NULL && length > 0) memcpy(*out, bytes, (size_t)length);
    ASN1_OCTET_STRING_free(inner);
    return *out == NULL ? -1 : length;
}

int signet_pki_ocsp_response_nonce(OCSP_BASICRESP *basic, unsigned char **out) {
    *out = NULL;
    int index = OCSP_BASICRESP_get_ext_by_NID(basic, NID_id_pkix_OCSP_Nonce, -1);
    if (index < 0) return -1;
    return signet_pki_nonce_value(OCSP_BASICRESP_get_ext(basic, index), out);
}

int signet_pki_ocsp_request_nonce(OCSP_REQUEST *request, unsigned char **out) {
    *out = NULL;
    int index = OCSP_REQUEST_get_ext_by_NID(request, NID_id_pkix_OCSP_Nonce, -1);
    if (index < 0) return -1;
    return signet_pki_nonce_value(OCSP_REQUEST_get_ext(request, index), out);
}

int signet_pki_ocsp_verify_signature(OCSP_BASICRESP *basic, X509 *signer) {
    STACK_OF(X509) *certs = sk_X509_new_null();
    if (certs == NULL || sk_X509_push(certs, signer) <= 0) {
        sk_X509_free(certs);
        return 0;
    }
    // The signer must match the ResponderID and be found in `certs` only (NOINTERN);
    // NOVERIFY: no chain building here, the caller decides whether the signer is authorized.
    int ok = OCSP_basic_verify(basic, certs, NULL, OCSP_NOINTERN | OCSP_NOVERIFY) == 1;
    sk_X509_free(certs);
    return ok;
}
