package io.frontier.control.access;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Puts the names of the caller's TLS client certificate in the call's {@link Context}: its subject's common
 * name and its DNS subject alternative names. A service reads them with {@link #current()} to check what the
 * caller may act as (an edge may attach only as the edge its certificate names).
 */
public final class PeerNames implements ServerInterceptor {
    /** The type of a DNS name among a certificate's subject alternative names. */
    private static final int DNS_NAME = 2;
    private static final Context.Key<Set<String>> NAMES = Context.key("frontier-peer-names");

    /**
     * Returns the names of the current call's client certificate, or null when the call came without one
     * (plaintext, or a server that does not ask for client certificates).
     */
    public static Set<String> current() {
        return NAMES.get();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        Set<String> names = session == null ? null : names(session);
        if (names == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(NAMES, names), call, headers, next);
    }

    private static Set<String> names(SSLSession session) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return null;
        }
        return names(leaf);
    }

    /** Returns the subject's common names and the DNS subject alternative names of {@code certificate}. */
    static Set<String> names(X509Certificate certificate) {
        Set<String> names = new HashSet<>();
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            // A subject the JDK printed but cannot parse names nothing; the alternative names may.
        }
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (alternative.size() == 2 && Integer.valueOf(DNS_NAME).equals(alternative.get(0))) {
                        names.add(alternative.get(1).toString());
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // As above: the common name alone then.
        }
        return Set.copyOf(names);
    }
}
