// COpenSSL shim declarations for the pki part of SignetCrypto (certificate_extensions.c,
// path_validation.c, crl.c, ocsp.c; shared helpers in pki_support.c): certificate
// extensions, CRLs, OCSP and path-validation helpers whose OpenSSL API is made of macros
// (STACK_OF), or of structures that are opaque or awkward to build from Swift.
//
// Conventions: functions return 1 on success and 0 on failure (OpenSSL's error queue
// then says why) unless stated otherwise.
#ifndef SIGNET_COPENSSL_PKI_H
#define SIGNET_COPENSSL_PKI_H
#include <openssl/ocsp.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>
#include <openssl/cms.h>

// MARK: - Certificate extensions (issuing)

/// basicConstraints: cA and an optional pathLenConstraint (pathlen < 0: absent).
int signet_pki_add_basic_constraints(X509 *cert, int ca, int pathlen, int critical);

/// keyUsage from OpenSSL's KU_* flag values (as X509_get_key_usage returns them).
int signet_pki_add_key_usage(X509 *cert, unsigned int flags, int critical);

/// extKeyUsage with `count` dotted OIDs.
int signet_pki_add_ext_key_usage(X509 *cert, const char *const *oids, int count, int critical);

/// cRLDistributionPoints: one DistributionPoint per URI (fullName), non-critical.
int signet_pki_add_crl_distribution_points(X509 *cert, const char *const *uris, int count);

/// authorityInfoAccess with id-ad-ocsp and id-ad-caIssuers URIs, non-critical.
int signet_pki_add_authority_info_access(X509 *cert, const char *const *ocsp, int ocsp_count,
                                         const char *const *ca_issuers, int ca_issuers_count);

/// subjectKeyIdentifier: SHA-1 of the subjectPublicKey BIT STRING (RFC 5280 §4.2.1.2 (1)).
int signet_pki_add_subject_key_identifier(X509 *cert);

/// authorityKeyIdentifier with the keyIdentifier field only.
int signet_pki_add_authority_key_identifier(X509 *cert, const unsigned char *keyid, int length);

/// subjectAltName with `count` URIs (uniformResourceIdentifier), non-critical.
int signet_pki_add_subject_alt_uris(X509 *cert, const char *const *uris, int count);

/// The URIs of the subjectAltName extension joined by '\n' into a string the caller
/// frees with OPENSSL_free; NULL when there are none.
char *signet_pki_subject_alt_uris(X509 *cert);

/// id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1), NULL value, non-critical.
int signet_pki_add_ocsp_nocheck(X509 *cert);

/// Any extension given as dotted OID and DER value (the extnValue contents).
int signet_pki_add_raw_extension(X509 *cert, const char *oid, int critical,
                                 const unsigned char *der, int length);

/// The DER value (extnValue contents) of the first extension with `oid`, copied into a
/// buffer the caller frees with OPENSSL_free. Returns the length, -1 when absent.
int signet_pki_extension_value(X509 *cert, const char *oid, unsigned char **out);

/// Dotted OIDs of the critical extensions OpenSSL's verifier does not know, joined by
/// '\n' into a string the caller frees with OPENSSL_free; NULL when there are none.
char *signet_pki_unsupported_critical_extensions(X509 *cert);

/// SHA-1 of the subjectPublicKey BIT STRING (the key hash of OCSP ResponderID / CertID).
int signet_pki_public_key_sha1(X509 *cert, unsigned char out[20]);

// MARK: - Path validation helpers

/// RFC 5280 policy processing over `chain` (leaf first, trust anchor last) with an
/// initial policy set of anyPolicy and no explicit policy required by the caller.
/// Returns 1 when the chain satisfies every policy constraint it carries, 0 when an
/// explicit policy is required but none is valid, -1 for invalid policy extensions,
/// -2 on internal error.
int signet_pki_policy_check(STACK_OF(X509) *chain);

/// NAME_CONSTRAINTS_check of `cert` against the nameConstraints of `ca`.
/// Returns X509_V_OK (0) when `ca` has none or `cert` satisfies them, else the
/// X509_V_ERR_* code (use X509_verify_cert_error_string for words).
int signet_pki_check_name_constraints(X509 *cert, X509 *ca);

// MARK: - CRLs

/// STACK_OF(X509_REVOKED) access for X509_CRL_get_REVOKED.
int signet_pki_revoked_count(X509_CRL *crl);
X509_REVOKED *signet_pki_revoked_value(X509_CRL *crl, int index);

/// Adds a revoked entry with optional reason code (reason < 0: none) and optional
/// invalidity date (invalidity < 0: none).
int signet_pki_crl_add_revoked(X509_CRL *crl, const unsigned char *serial, int serial_length,
                               time_t revoked_at, int reason, time_t invalidity);

/// cRLNumber (non-critical) from a big-endian magnitude.
int signet_pki_crl_add_number(X509_CRL *crl, const unsigned char *number, int length);

/// authorityKeyIdentifier (keyIdentifier) on a CRL.
int signet_pki_crl_add_authority_key_identifier(X509_CRL *crl, const unsigned char *keyid, int length);

/// Facts about a CRL's issuingDistributionPoint extension. `present` is 0 when absent.
/// `uris` (free with OPENSSL_free, may be NULL) joins the fullName URIs by '\n'.
typedef struct {
    int present;
    int critical;
    /// The IDP names a distribution point (a partitioned CRL), URI or not.
    int has_distribution_point;
    int only_user_certs;
    int only_ca_certs;
    int only_some_reasons;
    int indirect_crl;
    int only_attribute_certs;
    char *uris;
} signet_pki_idp_info;

/// Reads the issuingDistributionPoint. Returns 0 if it is present but unreadable.
int signet_pki_crl_idp(X509_CRL *crl, signet_pki_idp_info *info);

/// Dotted OIDs of critical CRL extensions other than those Signet processes
/// (cRLNumber, authorityKeyIdentifier, issuingDistributionPoint, deltaCRLIndicator,
/// issuerAltName, freshestCRL); and of critical entry extensions other than reasonCode,
/// invalidityDate, certificateIssuer, holdInstructionCode. Joined by '\n' into a
/// string the caller frees with OPENSSL_free; NULL when there are none.
char *signet_pki_crl_unsupported_critical_extensions(X509_CRL *crl);

// MARK: - OCSP

/// STACK_OF(X509) of a basic response's certs (not owned by the caller).
const STACK_OF(X509) *signet_pki_ocsp_certs(OCSP_BASICRESP *basic);

/// Sets producedAt to `when`; sign afterwards with OCSP_NOTIME so it stays.
int signet_pki_ocsp_set_produced_at(OCSP_BASICRESP *basic, time_t when);

/// The nonce extension's value of a basic response: the inner OCTET STRING contents
/// when the value is an OCTET STRING (RFC 6960 §4.4.1), else the raw extnValue.
/// Returns the length (buffer freed with OPENSSL_free), -1 when there is no nonce.
int signet_pki_ocsp_response_nonce(OCSP_BASICRESP *basic, unsigned char **out);

/// The same for a request.
int signet_pki_ocsp_request_nonce(OCSP_REQUEST *request, unsigned char **out);

/// Verifies the basic response's signature with `signer`'s public key. Returns 1 when
/// it verifies, 0 otherwise. Authorization of the signer is the caller's business.
int signet_pki_ocsp_verify_signature(OCSP_BASICRESP *basic, X509 *signer);

#endif
