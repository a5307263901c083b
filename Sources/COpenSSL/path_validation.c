// RFC 5280 policy and name-constraint checks (COpenSSL_pki.h, "Path validation helpers").
// Every function leaves OpenSSL's error queue describing a failure and frees what it
// allocated.
#include "COpenSSL.h"

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
