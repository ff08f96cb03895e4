/**
 * The synthetic insured population behind the test cards. Everything here is made up: insurer
 * numbers, symbols, drugs dispensed and check-up values are plausible in form, not real records.
 * Name, address, birth date and sex come from the person files the virtual cards are built from, so
 * the qualification answer says what the card says.
 *
 * Who is who, for tests and the demo:
 *   middle-aged       40–74, specific health check-ups, medication history, limit certificate A03
 *   pin-blocked       40–74, but the insurer has NOT registered check-up data: no check-ups to show
 *   elderly, pinless  75+, later-elderly (後期高齢者) check-ups
 *   long-address      insurance use NOT yet registered (健康保険証利用の申込 still to do)
 *   reiwa-child       a dependant (family member) born 2019-05-01: 未就学 until 2026-03-31 (the
 *                     preschool classification follows the date of the visit, not the seed)
 */

export interface InsurerSeed {
  readonly insurerNumber: string;
  readonly name: string;
  readonly checkupDataRegistered: boolean;
  readonly checkupRegisteredOn?: string;
}

export interface MedicationSeed {
  readonly dispensedOn: string;
  readonly pharmacy: string;
  readonly prescribingInstitution: string;
  readonly prescriber: string;
  readonly drugName: string;
  readonly ingredientName: string;
  readonly dosage: string;
  readonly quantity: string;
  readonly unit: string;
  readonly days: number;
}

export interface CheckupSeed {
  /** specific = 特定健康診査 (40–74); later-elderly = 後期高齢者健康診査 (75+). */
  readonly kind: 'specific' | 'later-elderly';
  readonly examinedOn: string;
  readonly results: Readonly<Record<string, number | string>>;
}

export interface LimitCertificateSeed {
  readonly classification: '01' | '02' | '03';
  readonly classificationFlag: string;
  readonly issuedOn: string;
  readonly validFrom: string;
  readonly validUntil: string;
}

export interface InsuredSeed {
  /** Names the person's card to the seed (SeedCards.cardOf): the testbed's virtual card of that id. */
  readonly fixtureId: string;
  readonly insurerNumber: string;
  /** 被保険者証区分 01–07: the kind of card (a 後期高齢者 card is 01 as well). */
  readonly cardClassification: string;
  readonly symbol?: string;
  readonly number: string;
  readonly branch?: string;
  readonly personalFamily: '1' | '2';
  /** Half-width katakana, as OQS carries NameKana. */
  readonly nameKana: string;
  readonly postNumber: string;
  /** Written in results for 後期高齢者 only (InsuredPartialContributionRatio). */
  readonly contributionRatio: string;
  readonly qualifiedFrom: string;
  /** YYYY-MM-DD: when the current card was issued, and its last valid day where one is printed. */
  readonly cardIssuedOn: string;
  readonly cardExpiresOn?: string;
  readonly insuranceUseRegistered: boolean;
  readonly medications: readonly MedicationSeed[];
  readonly checkups: readonly CheckupSeed[];
  readonly limitCertificate?: LimitCertificateSeed;
}

export const INSURERS: readonly InsurerSeed[] = [
  {
    insurerNumber: '01270999',
    name: 'テスト協会けんぽ 大阪支部',
    checkupDataRegistered: true,
    checkupRegisteredOn: '2021-10-20',
  },
  { insurerNumber: '06139999', name: 'テスト商事健康保険組合', checkupDataRegistered: false },
  {
    insurerNumber: '39409999',
    name: 'テスト県後期高齢者医療広域連合',
    checkupDataRegistered: true,
    checkupRegisteredOn: '2021-10-20',
  },
  {
    insurerNumber: '00019999',
    name: 'テスト市国民健康保険',
    checkupDataRegistered: true,
    checkupRegisteredOn: '2022-04-01',
  },
];

const CLINIC = 'テスト内科クリニック';
const PHARMACY = 'テスト調剤薬局 駅前店';

function specificCheckup(examinedOn: string, values: Partial<Record<string, number | string>>): CheckupSeed {
  return {
    kind: 'specific',
    examinedOn,
    results: {
      heightCm: 171.2,
      weightKg: 74.5,
      bmi: 25.4,
      waistCm: 88.0,
      systolicMmHg: 138,
      diastolicMmHg: 86,
      hba1cPercent: 5.9,
      ldlMgDl: 142,
      hdlMgDl: 48,
      triglyceridesMgDl: 160,
      astUL: 24,
      altUL: 31,
      gammaGtpUL: 58,
      urineProtein: '-',
      metabolicSyndrome: '予備群該当',
      guidanceLevel: '動機付け支援',
      ...values,
    } as Record<string, number | string>,
  };
}

function laterElderlyCheckup(
  examinedOn: string,
  values: Partial<Record<string, number | string>>,
): CheckupSeed {
  return {
    kind: 'later-elderly',
    examinedOn,
    results: {
      heightCm: 148.0,
      weightKg: 46.2,
      bmi: 21.1,
      systolicMmHg: 146,
      diastolicMmHg: 78,
      hba1cPercent: 6.1,
      ldlMgDl: 118,
      hdlMgDl: 62,
      triglyceridesMgDl: 96,
      egfr: 58,
      questionnaireFrailtyItems: 2,
      ...values,
    } as Record<string, number | string>,
  };
}

export const POPULATION: readonly InsuredSeed[] = [
  {
    fixtureId: 'middle-aged',
    insurerNumber: '01270999',
    cardClassification: '01',
    symbol: '27010203',
    number: '4567',
    branch: '00',
    personalFamily: '1',
    nameKana: 'ﾁｭｳﾈﾝ ｹﾝｲﾁ',
    postNumber: '530-0005',
    contributionRatio: '030',
    qualifiedFrom: '2015-04-01',
    cardIssuedOn: '2015-04-01',
    insuranceUseRegistered: true,
    medications: [
      {
        dispensedOn: '2026-09-02',
        pharmacy: PHARMACY,
        prescribingInstitution: CLINIC,
        prescriber: '内科 テスト医師',
        drugName: 'アムロジピン錠5mg「テスト」',
        ingredientName: 'アムロジピンベシル酸塩',
        dosage: '1回1錠 1日1回 朝食後',
        quantity: '28',
        unit: '錠',
        days: 28,
      },
      {
        dispensedOn: '2026-09-02',
        pharmacy: PHARMACY,
        prescribingInstitution: CLINIC,
        prescriber: '内科 テスト医師',
        drugName: 'ロスバスタチン錠2.5mg「テスト」',
        ingredientName: 'ロスバスタチンカルシウム',
        dosage: '1回1錠 1日1回 夕食後',
        quantity: '28',
        unit: '錠',
        days: 28,
      },
      {
        dispensedOn: '2026-10-14',
        pharmacy: PHARMACY,
        prescribingInstitution: 'テスト整形外科',
        prescriber: '整形外科 テスト医師',
        drugName: 'ロキソプロフェンNa錠60mg「テスト」',
        ingredientName: 'ロキソプロフェンナトリウム水和物',
        dosage: '1回1錠 疼痛時 1日3回まで',
        quantity: '10',
        unit: '錠',
        days: 10,
      },
    ],
    checkups: [
      specificCheckup('2025-06-11', {}),
      specificCheckup('2026-06-09', { weightKg: 72.9, bmi: 24.9, waistCm: 86.5, hba1cPercent: 5.8 }),
    ],
    limitCertificate: {
      classification: '01',
      classificationFlag: 'A03',
      issuedOn: '2026-04-01',
      validFrom: '2026-04-01',
      validUntil: '2027-07-31',
    },
  },
  {
    fixtureId: 'pin-blocked',
    insurerNumber: '06139999',
    cardClassification: '01',
    symbol: '1001',
    number: '20731',
    branch: '00',
    personalFamily: '1',
    nameKana: 'ﾍｲｿｸ ｼﾞﾛｳ',
    postNumber: '460-0001',
    contributionRatio: '030',
    qualifiedFrom: '1985-04-01',
    cardIssuedOn: '2018-10-01',
    insuranceUseRegistered: true,
    medications: [
      {
        dispensedOn: '2026-08-20',
        pharmacy: PHARMACY,
        prescribingInstitution: CLINIC,
        prescriber: '内科 テスト医師',
        drugName: 'メトホルミン塩酸塩錠250mgMT「テスト」',
        ingredientName: 'メトホルミン塩酸塩',
        dosage: '1回1錠 1日2回 朝夕食後',
        quantity: '56',
        unit: '錠',
        days: 28,
      },
    ],
    // The insurer has not registered check-up data, so there is none to show even at 63.
    checkups: [],
  },
  {
    fixtureId: 'elderly',
    insurerNumber: '39409999',
    cardClassification: '01',
    number: '10203040',
    personalFamily: '1',
    nameKana: 'ｺｳﾚｲ ﾊﾅ',
    postNumber: '810-0001',
    contributionRatio: '010',
    qualifiedFrom: '2016-03-03',
    cardIssuedOn: '2026-07-15',
    cardExpiresOn: '2027-07-31',
    insuranceUseRegistered: true,
    medications: [
      {
        dispensedOn: '2026-10-30',
        pharmacy: PHARMACY,
        prescribingInstitution: CLINIC,
        prescriber: '内科 テスト医師',
        drugName: 'ランソプラゾールOD錠15mg「テスト」',
        ingredientName: 'ランソプラゾール',
        dosage: '1回1錠 1日1回 朝食前',
        quantity: '30',
        unit: '錠',
        days: 30,
      },
      {
        dispensedOn: '2026-10-30',
        pharmacy: PHARMACY,
        prescribingInstitution: CLINIC,
        prescriber: '内科 テスト医師',
        drugName: '酸化マグネシウム錠330mg「テスト」',
        ingredientName: '酸化マグネシウム',
        dosage: '1回1錠 1日3回 毎食後',
        quantity: '90',
        unit: '錠',
        days: 30,
      },
    ],
    checkups: [laterElderlyCheckup('2026-07-15', {})],
    limitCertificate: {
      classification: '02',
      classificationFlag: 'B02',
      issuedOn: '2026-08-01',
      validFrom: '2026-08-01',
      validUntil: '2027-07-31',
    },
  },
  {
    fixtureId: 'pinless',
    insurerNumber: '39409999',
    cardClassification: '01',
    number: '10209988',
    personalFamily: '1',
    nameKana: 'ﾑｱﾝ ｼｮｳｺ',
    postNumber: '730-0042',
    contributionRatio: '010',
    qualifiedFrom: '2011-08-08',
    cardIssuedOn: '2026-07-15',
    cardExpiresOn: '2027-07-31',
    insuranceUseRegistered: true,
    medications: [
      {
        dispensedOn: '2026-11-02',
        pharmacy: PHARMACY,
        prescribingInstitution: 'テスト眼科',
        prescriber: '眼科 テスト医師',
        drugName: 'ラタノプロスト点眼液0.005%「テスト」',
        ingredientName: 'ラタノプロスト',
        dosage: '1回1滴 1日1回 両眼',
        quantity: '2.5',
        unit: 'mL',
        days: 30,
      },
    ],
    checkups: [laterElderlyCheckup('2026-05-21', { heightCm: 145.5, weightKg: 41.0, bmi: 19.4, egfr: 49 })],
  },
  {
    fixtureId: 'long-address',
    insurerNumber: '00019999',
    cardClassification: '01',
    symbol: '札幌中',
    number: '1989018',
    personalFamily: '1',
    nameKana: 'ﾅｶﾞｽﾐ ｼｮﾀﾛｳ',
    postNumber: '060-0001',
    contributionRatio: '030',
    qualifiedFrom: '2020-04-01',
    cardIssuedOn: '2026-09-18',
    cardExpiresOn: '2027-09-30',
    // Has not yet applied to use the card as a health insurance card.
    insuranceUseRegistered: false,
    medications: [],
    checkups: [],
  },
  {
    fixtureId: 'young-rare-kanji',
    insurerNumber: '06139999',
    cardClassification: '01',
    symbol: '1001',
    number: '30118',
    branch: '00',
    personalFamily: '1',
    nameKana: 'ﾖｼﾀｶ ｶﾂﾞﾉ',
    postNumber: '100-0001',
    contributionRatio: '030',
    qualifiedFrom: '2021-04-01',
    cardIssuedOn: '2021-04-01',
    insuranceUseRegistered: true,
    medications: [
      {
        dispensedOn: '2026-11-10',
        pharmacy: PHARMACY,
        prescribingInstitution: 'テスト皮膚科',
        prescriber: '皮膚科 テスト医師',
        drugName: 'ヘパリン類似物質油性クリーム0.3%「テスト」',
        ingredientName: 'ヘパリン類似物質',
        dosage: '1日2回 患部に塗布',
        quantity: '50',
        unit: 'g',
        days: 14,
      },
    ],
    checkups: [],
  },
  {
    fixtureId: 'reiwa-child',
    insurerNumber: '01270999',
    cardClassification: '01',
    symbol: '27010203',
    number: '4567',
    branch: '02',
    personalFamily: '2',
    nameKana: 'ﾚｲﾜ ﾊｼﾞﾒ',
    postNumber: '604-0000',
    contributionRatio: '020',
    qualifiedFrom: '2019-05-01',
    cardIssuedOn: '2019-05-20',
    insuranceUseRegistered: true,
    medications: [
      {
        dispensedOn: '2026-10-05',
        pharmacy: PHARMACY,
        prescribingInstitution: 'テスト小児科',
        prescriber: '小児科 テスト医師',
        drugName: 'カルボシステインDS50%「テスト」',
        ingredientName: 'L-カルボシステイン',
        dosage: '1日3回 毎食後',
        quantity: '4.5',
        unit: 'g',
        days: 5,
      },
    ],
    checkups: [],
  },
  {
    fixtureId: 'expired-certificate',
    insurerNumber: '01270999',
    cardClassification: '01',
    symbol: '27010311',
    number: '812',
    branch: '00',
    personalFamily: '1',
    nameKana: 'ｷｹﾞﾝ ｷﾘｺ',
    postNumber: '980-0803',
    contributionRatio: '030',
    qualifiedFrom: '2010-04-01',
    cardIssuedOn: '2010-04-01',
    insuranceUseRegistered: true,
    medications: [],
    checkups: [],
  },
];
