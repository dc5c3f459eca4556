package io.frontier.protocol.hellox;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction of an encrypted session (PROTOCOL.md 1.6): seals the frames one side sends,
 * or opens the frames it receives, under the direction's key and a counter nonce that
 * counts every frame from 0. The 5 bytes of a frame's header, its length counting the tag,
 * are the associated data, so a frame whose cmd, seq or length changed does not open, nor
 * does one replayed, dropped or reordered. Not thread-safe: a connection uses its two
 * ciphers on one thread.
 */
public final class FrameCipher {
    /** Bytes of the header: cmd, seq, len. */
    public static final int HEADER_LENGTH = 5;
    /** Bytes a sealed payload has over its plaintext. */
    public static final int TAG_LENGTH = NoiseNk.TAG_LENGTH;
    /** The longest plaintext a frame can seal: its sealed length must fit the u16 len. */
    public static final int MAX_PLAINTEXT = 0xFFFF - TAG_LENGTH;

    // One JDK cipher per thread rather than per connection: a connection then holds 2 keys and
    // 2 counters, not two cipher states of several hundred bytes.
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final SecretKeySpec key;
    private long counter;

    /** Creates the cipher of one direction from its 32-byte key, its counter at 0. */
    public FrameCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("key: " + key.length + " bytes (expected: 32)");
        }
        this.key = new SecretKeySpec(key, "ChaCha20");
    }

    /** Returns the number of frames sealed or opened so far: the next frame's nonce. */
    public long counter() {
        return counter;
    }

    /**
     * Writes one sealed frame to {@code out}: the header, its len counting the tag, then the
     * sealed readable bytes of {@code plaintext}, which are not consumed.
     *
     * @throws IllegalArgumentException when the plaintext is over {@link #MAX_PLAINTEXT}
     */
    public void seal(int cmd, int seq, ByteBuf plaintext, ByteBuf out) throws GeneralSecurityException {
        int length = plaintext.readableBytes();
        if (length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("plaintext: " + length + " bytes (expected: at most " + MAX_PLAINTEXT + ")");
        }
        int sealed = length + TAG_LENGTH;
        out.ensureWritable(HEADER_LENGTH + sealed);
        out.writeByte(cmd).writeShort(seq).writeShort(sealed);
        Scratch scratch = SCRATCH.get();
        Cipher cipher = scratch.init(Cipher.ENCRYPT_MODE, key, counter++);
        cipher.updateAAD(scratch.header(cmd, seq, sealed));
        ByteBuffer target = out.nioBuffer(out.writerIndex(), sealed);
        int written = cipher.doFinal(plaintext.nioBuffer(), target);
        out.writerIndex(out.writerIndex() + written);
    }

    /**
     * Opens the payload {@code sealed} (its readable bytes, not consumed) of a frame that
     * came with {@code cmd} and {@code seq}, and returns the plaintext in a buffer from
     * {@code alloc} that the caller releases.
     *
     * @throws AEADBadTagException when the frame does not open: shorter than a tag, changed,
     *     replayed, out of order, or sealed under another key
     */
    public ByteBuf open(int cmd, int seq, ByteBuf sealed, ByteBufAllocator alloc) throws GeneralSecurityException {
        int length = sealed.readableBytes();
        if (length < TAG_LENGTH) {
            counter++;
            throw new AEADBadTagException("sealed payload of " + length + " bytes (expected: at least " + TAG_LENGTH + ")");
        }
        Scratch scratch = SCRATCH.get();
        Cipher cipher = scratch.init(Cipher.DECRYPT_MODE, key, counter++);
        cipher.updateAAD(scratch.header(cmd, seq, length));
        ByteBuf plain = alloc.heapBuffer(length - TAG_LENGTH);
        try {
            int written = cipher.doFinal(sealed.nioBuffer(), plain.nioBuffer(0, length - TAG_LENGTH));
            plain.writerIndex(written);
            return plain;
        } catch (GeneralSecurityException | RuntimeException e) {
            plain.release();
            throw e;
        }
    }

    /** Returns a new ChaCha20-Poly1305 cipher set up for Noise's nonce {@code n}. */
    static Cipher chaCha(int mode, byte[] key, long n) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
        cipher.init(mode, new SecretKeySpec(key, "ChaCha20"), NoiseNk.nonce(n));
        return cipher;
    }

    private static final class Scratch {
        private final byte[] header = new byte[HEADER_LENGTH];
        private final byte[] nonce = new byte[12];
        private Cipher cipher;

        Cipher init(int mode, SecretKeySpec key, long n) throws GeneralSecurityException {
            for (int i = 0; i < 8; i++) {
                nonce[4 + i] = (byte) (n >>> (8 * i));
            }
            if (cipher == null) {
                cipher = Cipher.getInstance("ChaCha20-Poly1305");
            }
            try {
                cipher.init(mode, key, new IvParameterSpec(nonce));
            } catch (InvalidKeyException sameKeyAndNonce) {
                // The JDK refuses to encrypt twice in a row with one key and nonce, a guard of
                // its own. A counter never repeats within a session; only two sessions built
                // from the same fixed keys (test vectors) can meet it, so a fresh cipher is right.
                cipher = Cipher.getInstance("ChaCha20-Poly1305");
                cipher.init(mode, key, new IvParameterSpec(nonce));
            }
            return cipher;
        }

        byte[] header(int cmd, int seq, int length) {
            header[0] = (byte) cmd;
            header[1] = (byte) (seq >>> 8);
            header[2] = (byte) seq;
            header[3] = (byte) (length >>> 8);
            header[4] = (byte) length;
            return header;
        }
    }
}
