#!/bin/sh
# Regenerates the throw-away RSA test keys in this folder (OpenSSL 3 command line).
# Note: regenerating makes NEW keys; ../signing/vectors.json must then be remade too
# (see ../signing/make_vectors.py).
set -eu
cd "$(dirname "$0")"
PASS=mediactl-test-pass

# Unencrypted PKCS#1 ("BEGIN RSA PRIVATE KEY")
openssl genrsa -traditional -out test_key.pem 2048
# Same key, unencrypted PKCS#8 ("BEGIN PRIVATE KEY")
openssl pkcs8 -topk8 -nocrypt -in test_key.pem -out test_key_pkcs8.pem
# Same key, legacy-encrypted PKCS#1 (Proc-Type: 4,ENCRYPTED / DEK-Info: AES-256-CBC)
openssl rsa -traditional -aes256 -passout pass:"$PASS" -in test_key.pem -out test_key_enc_pkcs1.pem
# Same key, encrypted PKCS#8 (PBES2, AES-256-CBC)
openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:"$PASS" -in test_key.pem -out test_key_enc_pkcs8.pem
# SubjectPublicKeyInfo public key
openssl rsa -pubout -in test_key.pem -out test_public.pem
# Self-signed X.509 certificate for test_key, shaped like an instance-principal leaf
# certificate (tenancy in an "opc-tenant:" OU); used for the fed-x509 signing vector.
openssl req -new -x509 -key test_key.pem -sha256 -days 36500 -set_serial 1 \
  -subj "/CN=ocid1.instance.oc1.iad.aaaaaaaatestinstance/OU=opc-certtype:instance/OU=opc-instance:ocid1.instance.oc1.iad.aaaaaaaatestinstance/OU=opc-compartment:ocid1.compartment.oc1..aaaaaaaatestcompartment/OU=opc-tenant:ocid1.tenancy.oc1..aaaaaaaatestenancyexample" \
  -out test_cert.pem
# A different key, for fingerprint-mismatch tests
openssl genrsa -traditional -out other_key.pem 2048

# MD5 of the DER SubjectPublicKeyInfo, lowercase hex pairs joined by ':'
fp() { openssl rsa -pubout -outform DER -in "$1" 2>/dev/null | openssl md5 -c | sed 's/^.*= *//'; }
printf '{"test_key": "%s", "other_key": "%s"}\n' "$(fp test_key.pem)" "$(fp other_key.pem)" > fingerprints.json
cat fingerprints.json
