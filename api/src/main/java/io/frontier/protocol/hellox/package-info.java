/**
 * HelloX (PROTOCOL.md 1.6): the encrypted session of the TCP protocol for phones that
 * cannot do TLS. {@link io.frontier.protocol.hellox.NoiseNk} is the handshake
 * ({@code Noise_NK_25519_ChaChaPoly_SHA256}), {@link io.frontier.protocol.hellox.FrameCipher}
 * seals and opens the frames that follow it, {@link io.frontier.protocol.hellox.HelloX}
 * holds the layout of the HelloX payload. The edge and the device client both use them,
 * so that the two ends of the contract cannot drift apart; the black-box tests check them
 * against an implementation of their own.
 */
package io.frontier.protocol.hellox;
