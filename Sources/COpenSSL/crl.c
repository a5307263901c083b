// CRL entries, extensions and issuingDistributionPoint (COpenSSL_pki.h, "CRLs").
// Every function leaves OpenSSL's error queue describing a failure and frees what it
// allocated.
#include "COpenSSL.h"
#include "pki_support.h"
#include <string.h>

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
