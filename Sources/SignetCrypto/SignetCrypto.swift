// SignetCrypto: keys, certificates, CA, CMS, RFC 3161, CRL and OCSP over OpenSSL.
// The only importer of OpenSSL (COpenSSL).
