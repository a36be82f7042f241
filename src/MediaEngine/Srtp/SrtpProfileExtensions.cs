namespace MediaEngine.Srtp;

public static class SrtpProfileExtensions
{
    extension(SrtpProfile profile)
    {
        /// <summary>Length of the master key and of the session encryption keys derived from it.</summary>
        public int KeyLength => profile switch
        {
            SrtpProfile.AeadAes256Gcm => 32,
            SrtpProfile.AeadAes128Gcm => 16,
            SrtpProfile.AesCm128HmacSha1_80 => 16,
            SrtpProfile.AesCm128HmacSha1_32 => 16,
            _ => throw UndefinedProfile(profile),
        };

        /// <summary>Length of the master salt and of the session salts derived from it.</summary>
        public int SaltLength => profile.IsAead ? 12 : 14;

        /// <summary>Length of the HMAC-SHA1 session keys; AEAD profiles have none.</summary>
        public int AuthenticationKeyLength => profile.IsAead ? 0 : 20;

        /// <summary>Bytes the authentication tag adds to an SRTP packet.</summary>
        public int RtpAuthTagLength => profile switch
        {
            SrtpProfile.AeadAes256Gcm => 16,
            SrtpProfile.AeadAes128Gcm => 16,
            SrtpProfile.AesCm128HmacSha1_80 => 10,
            SrtpProfile.AesCm128HmacSha1_32 => 4,
            _ => throw UndefinedProfile(profile),
        };

        /// <summary>
        /// Bytes the authentication tag adds to an SRTCP packet. AES_CM_128_HMAC_SHA1_32 keeps an 80-bit tag
        /// for SRTCP (RFC 5764 §4.1.2).
        /// </summary>
        public int RtcpAuthTagLength => profile.IsAead ? 16 : 10;

        /// <summary>Bytes protecting an RTP packet adds: the caller's buffer needs this much room past the packet.</summary>
        public int RtpOverhead => profile.RtpAuthTagLength;

        /// <summary>Bytes protecting an RTCP packet adds: the tag and the E flag with the SRTCP index.</summary>
        public int RtcpOverhead => profile.RtcpAuthTagLength + SrtcpIndex.Length;

        public bool IsAead => profile switch
        {
            SrtpProfile.AeadAes256Gcm => true,
            SrtpProfile.AeadAes128Gcm => true,
            SrtpProfile.AesCm128HmacSha1_80 => false,
            SrtpProfile.AesCm128HmacSha1_32 => false,
            _ => throw UndefinedProfile(profile),
        };

        /// <summary>The name mediasoup uses for the profile, e.g. "AES_CM_128_HMAC_SHA1_80".</summary>
        public string MediasoupName => profile switch
        {
            SrtpProfile.AeadAes256Gcm => "AEAD_AES_256_GCM",
            SrtpProfile.AeadAes128Gcm => "AEAD_AES_128_GCM",
            SrtpProfile.AesCm128HmacSha1_80 => "AES_CM_128_HMAC_SHA1_80",
            SrtpProfile.AesCm128HmacSha1_32 => "AES_CM_128_HMAC_SHA1_32",
            _ => throw UndefinedProfile(profile),
        };

        /// <summary>The SRTPProtectionProfile value of the DTLS use_srtp extension (RFC 5764 §4.1.2, RFC 7714 §14.2).</summary>
        public ushort UseSrtpId => profile switch
        {
            SrtpProfile.AeadAes256Gcm => 0x0008,
            SrtpProfile.AeadAes128Gcm => 0x0007,
            SrtpProfile.AesCm128HmacSha1_80 => 0x0001,
            SrtpProfile.AesCm128HmacSha1_32 => 0x0002,
            _ => throw UndefinedProfile(profile),
        };

        /// <summary>Parses a mediasoup profile name; the match is exact, as mediasoup's is.</summary>
        public static bool TryParseMediasoupName(string? name, out SrtpProfile result)
        {
            foreach (var candidate in Enum.GetValues<SrtpProfile>())
            {
                if (candidate.MediasoupName == name)
                {
                    result = candidate;
                    return true;
                }
            }

            result = default;
            return false;
        }

        public static bool TryFromUseSrtpId(ushort id, out SrtpProfile result)
        {
            foreach (var candidate in Enum.GetValues<SrtpProfile>())
            {
                if (candidate.UseSrtpId == id)
                {
                    result = candidate;
                    return true;
                }
            }

            result = default;
            return false;
        }
    }

    private static ArgumentOutOfRangeException UndefinedProfile(SrtpProfile profile) =>
        new(nameof(profile), profile, "Not a defined SRTP profile.");
}
