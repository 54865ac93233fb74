package org.parley.server;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The TLS material a fresh install runs with: when no certificate is configured, a self-signed one for
 * the domain (plus localhost and 127.0.0.1) is generated once under {@code <data.dir>/tls} and reused.
 */
final class SelfSignedCertificate {
    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedCertificate.class);
    private static final Duration VALIDITY = Duration.ofDays(825);
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    private SelfSignedCertificate() {
    }

    /** The configured files, or the generated pair (created on first use). */
    static TlsFiles resolve(ServerSettings.Tls configured, Path dataDir, String domain) {
        if (configured.certificate().isPresent()) {
            return new TlsFiles(configured.certificate().get(), configured.privateKey().orElseThrow());
        }
        Path dir = dataDir.resolve("tls");
        TlsFiles files = new TlsFiles(dir.resolve("parley-cert.pem"), dir.resolve("parley-key.pem"));
        if (Files.isRegularFile(files.certificate()) && Files.isRegularFile(files.privateKey())) {
            return files;
        }
        generate(files, domain);
        LOG.info("Generated a self-signed TLS certificate for {} in {}", domain, dir);
        return files;
    }

    static void generate(TlsFiles files, String domain) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            X509Certificate certificate = certificate(keys, domain);
            // The key first: a certificate without its key would be taken as a complete pair next start.
            FilePermissions.writePrivate(files.privateKey(), pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
            FilePermissions.writePrivate(files.certificate(), pem(certificate));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot generate a self-signed certificate", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write TLS material to " + files.certificate().getParent(), e);
        }
    }

    private static X509Certificate certificate(KeyPair keys, String domain)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, domain).build();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        // Marked as its own CA (like `openssl req -x509`) so that OpenSSL-based clients accept it as a trust anchor.
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign));
        builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        builder.addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames(domain));
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    }

    private static GeneralNames subjectAlternativeNames(String domain) {
        Set<String> names = new LinkedHashSet<>();
        names.add(domain);
        names.add("localhost");
        names.add("127.0.0.1");
        return new GeneralNames(names.stream()
                .map(n -> new GeneralName(IP_LITERAL.matcher(n).matches() ? GeneralName.iPAddress : GeneralName.dNSName, n))
                .toArray(GeneralName[]::new));
    }

    private static byte[] pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
