/**
 * Every value the kiosk knows about the My Number card, in one table, so that a real card can
 * correct an entry in one place. Both the reader code and the virtual card read it. Entries marked
 * `unconfirmed` come from one public source or none (see shared/MYNUMBER-CARD.md).
 */

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

/** The contact ATR seen on physical cards. Not used to recognise a card: SELECT of the JPKI AP is. */
export const CONTACT_ATR = hex('3B E0 00 FF 81 31 FE 45 14');

export const AID = {
  jpki: hex('D3 92 F0 00 26 01 00 00 00 01'),
  /** 券面事項入力補助 AP (card info input support). */
  textInfo: hex('D3 92 10 00 31 00 01 01 04 08'),
  /** 券面事項確認 AP (card face). */
  cardFace: hex('D3 92 10 00 31 00 01 01 04 02'),
} as const;

export const JPKI = {
  ef: {
    authCertificate: 0x000a,
    authCaCertificate: 0x000b,
    authPin: 0x0018,
    authKey: 0x0017,
    signCertificate: 0x0001,
    signCaCertificate: 0x0002,
    signPassword: 0x001b,
    signKey: 0x001a,
    tokenInfo: 0x0006,
    certificatePresence: 0x0008,
  },
  authPinTries: 3,
  signPasswordTries: 5,
  tokenInfoLength: 160,
  /** Label in the first 32 bytes of the token info on a physical card. */
  tokenLabel: 'JPKIAPICCTOKEN2',
  /** EF 0008 content when both certificates are present. */
  certificatePresence: hex('8F 8F 00'),
} as const;

export const TEXT_INFO = {
  ef: {
    pin: 0x0011,
    verificationA: 0x0014,
    verificationB: 0x0015,
    myNumber: 0x0001,
    basicFour: 0x0002,
    integrity: 0x0003,
    cvCertificate: 0x0004,
    apInfo: 0x0005,
  },
  pinTries: 3,
  /** unconfirmed: the retry limits of 照合番号A/B. */
  verificationTries: 10,
} as const;

export const CARD_FACE = {
  ef: {
    verificationB: 0x0012,
    verificationA: 0x0013,
    face: 0x0002,
    ageRecord: 0x0001,
    myNumberImage: 0x0005,
    basicInfo: 0x0003,
    cvCertificate: 0x0004,
  },
  /** unconfirmed: the retry limits of 照合番号A/B. */
  verificationTries: 10,
} as const;

/** TLV tags inside the files above. */
export const TAG = {
  myNumber: 0xff10,
  basicFour: 0xff20,
  basicFourOffsets: 0xdf21,
  name: 0xdf22,
  address: 0xdf23,
  birthDate: 0xdf24,
  sex: 0xdf25,
  integrity: 0xff30,
  face: 0xff20,
  faceOffsets: 0xdf21,
  faceBirthDate: 0xdf22,
  faceSex: 0xdf23,
  facePublicKey: 0xdf24,
  faceNameImage: 0xdf25,
  faceAddressImage: 0xdf26,
  facePhoto: 0xdf27,
  faceSignature: 0xdf28,
  faceExpiry: 0xdf29,
  faceSecurityCodeImage: 0xdf2a,
} as const;

export const INS = {
  select: 0xa4,
  readBinary: 0xb0,
  verify: 0x20,
  changeReferenceData: 0x24,
  getChallenge: 0x84,
  getResponse: 0xc0,
  computeSignature: 0x2a,
} as const;

/** P1 of `80 2A`: how the card treats the data it signs (measured on a card). */
export const SIGN_SCHEME = {
  asGiven: 0x00,
  hashThenSign: 0x01,
  wrapHash: 0x02,
  hashAndWrap: 0x03,
} as const;

/** SHA-256 DigestInfo prefix (PKCS#1 v1.5). */
export const SHA256_DIGEST_INFO_PREFIX = hex('30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20');

export const SW = {
  ok: 0x9000,
  /** `63 Cx`: wrong PIN, x tries left. */
  wrongPinMask: 0x63c0,
  blocked: 0x6984,
  securityStatus: 0x6982,
  notFound: 0x6a82,
  wrongP1P2: 0x6a86,
  offsetBeyondFile: 0x6b00,
  wrongLength: 0x6700,
  insNotSupported: 0x6d00,
  claNotSupported: 0x6e00,
  logicalChannelNotSupported: 0x6881,
  conditionsNotSatisfied: 0x6985,
  wrongData: 0x6a80,
  /** `61 xx`: xx more bytes wait for GET RESPONSE (00 = 256). */
  moreDataMask: 0x6100,
  /** `6C xx`: wrong Le, resend with Le = xx (00 = 256). */
  wrongLeMask: 0x6c00,
} as const;

/** Short reads are the safe default: not every reader passes extended APDUs. */
export const SHORT_READ_MAX = 256;
export const EXTENDED_READ_MAX = 65536;

/** Filler byte after the TLV in every file. */
export const FILLER = 0xff;
