import type { FaceReason } from '../face-reasons.ts';

/**
 * Japanese, the default: the ministry's wording for the patient flow where it has one (see
 * DESIGN.md, "The patient flow"). The other languages translate these keys one for one; the
 * face reasons keep the face engine's own texts (src/face/reasons.ts), and there is one for every
 * code of ../face-reasons.ts (a missing or extra one does not compile).
 */
export const ja = {
  app: {
    title: 'マイナ受付',
    language: '言語',
    mute: '音声案内を消す',
    unmute: '音声案内を流す',
    connecting: '準備しています。しばらくお待ちください。',
    noBridge: '受付機の準備ができていません。受付の職員にお声がけください。',
  },
  idle: {
    heading: 'マイナンバーカードを置いてください',
    cover: 'カバー等は外してください',
    guideAlt: 'カードリーダーにマイナンバーカードを置く向きを示す図',
    visualCheck: '次の方は、職員が目で見て本人確認をします。',
  },
  guide: {
    portrait: 'カードは縦向きに置いてください。',
    landscape: 'カードは横向きに置いてください。',
    landscapeEitherWay: 'カードは横向きに置いてください。顔写真が表であればどちらでもOKです。',
    either: '顔写真のある面を上にして置いてください。',
  },
  reading: {
    heading: 'カードを読み取っています',
    body: 'カードを動かさずに、そのままお待ちください。',
  },
  cardProblem: {
    heading: 'カードを読み取れませんでした',
    body: 'カードを取り出して、もう一度置いてください。',
  },
  method: {
    heading: '本人確認の方法を選んでください',
    face: '顔認証を行う',
    pin: '暗証番号を入力',
    exit: '終了する',
    privacy: '本人確認の情報は、他の目的には使用しません。',
    pinless: 'このカードは暗証番号のないカードです。顔認証で本人確認をします。',
  },
  face: {
    heading: '顔を枠内に入れてください。',
    camera: 'カメラは画面の上にあります。カメラの方を向いてください。',
    attempt: '{{attempt}}回目（{{attempts}}回まで）',
    starting: 'カメラを準備しています。',
    noCamera: 'カメラが使えません。「戻る」を押して、別の方法で本人確認をしてください。',
    preview: 'カメラに写っているあなたの顔',
    back: '戻る',
  },
  reason: {
    'no-face': '顔を枠内に入れてください。',
    'several-faces': 'お一人ずつカメラの前にお立ちください。',
    'too-far': 'もう少し近づいてください。',
    'too-close': 'もう少し離れてください。',
    'off-centre': '顔を枠の中央に合わせてください。',
    'face-covered': 'マスクを外してください。',
    'head-turned': 'カメラの正面を向いてください。',
    'head-tilted': '顔をまっすぐにしてください。',
    'too-dark': 'お顔が暗く写っています。明るい場所でお試しください。',
    backlit: '後ろからの光が強すぎます。立つ位置を少し変えてください。',
    blurred: 'そのまま動かずにお待ちください。',
    'eyes-closed': '目を開けてカメラを見てください。',
    'glasses-glare': '眼鏡が光っています。眼鏡を外すか、少し顔の向きを変えてください。',
    'antispoof-low': 'ご本人がカメラの前にお立ちください。写真や画面では確認できません。',
    'liveness-low': 'ご本人がカメラの前にお立ちください。写真や画面では確認できません。',
    'challenge-not-completed': '画面の案内に合わせて、もう一度お試しください。',
    'no-blink': 'カメラを見たまま、ゆっくりまばたきをしてください。',
    'no-turn': '顔をゆっくり横に向けてから、正面に戻してください。',
    'face-lost': '顔を枠内に入れたままにしてください。',
    timeout: '時間内に確認できませんでした。もう一度お試しください。',
    'challenge-blink': 'カメラを見たまま、ゆっくりまばたきをしてください。',
    'challenge-turn-left': '顔をゆっくりご自分の左に向けてから、正面に戻してください。',
    'challenge-turn-right': '顔をゆっくりご自分の右に向けてから、正面に戻してください。',
    'face-changed': 'お一人でカメラの正面にお立ちください。',
    'frame-undecodable': 'カメラの映像を読み取れません。受付の職員にお声がけください。',
    'no-camera': 'カメラが使えません。受付の職員にお声がけください。',
    cancelled: '顔認証を中止しました。',
    'card-photo-undecodable': 'カードの顔写真を読み取れません。暗証番号で本人確認をしてください。',
    'card-photo-no-face': 'カードの顔写真を照合に使えません。暗証番号で本人確認をしてください。',
    'card-front-back': 'カードが裏返しです。顔写真のある面を上にして置き直してください。',
    'card-front-missing': 'カードが読み取り位置にありません。カードを枠の中に置き直してください。',
    'card-front-other-card': 'マイナンバーカードを置いてください。',
    'card-front-glare': '光が反射して読み取れません。カードを置き直してください。',
    'card-front-covered':
      'カードの文字が読み取れません。手やケースで隠れていないか確かめて、置き直してください。',
    unknown: 'もう一度お試しください。',
  } satisfies Record<FaceReason | 'unknown', string>,
  pin: {
    heading: '暗証番号を入力してください。',
    hint: '数字4桁の暗証番号です。',
    triesLeft: '入力できる残りの回数：{{tries}}回',
    entered: '{{total}}桁のうち{{entered}}桁を入力しました',
    keypad: '暗証番号の数字ボタン',
    correct: '訂正',
    cancel: 'キャンセル',
    ok: 'OK',
  },
  pinChecking: {
    heading: '暗証番号を確認しています',
    body: 'そのままお待ちください。',
  },
  verifying: {
    heading: '資格情報を確認しています',
    body: 'そのままお待ちください。カードはまだ取り出さないでください。',
  },
  registering: {
    heading: '利用登録をしています',
    body: 'そのままお待ちください。カードはまだ取り出さないでください。',
  },
  recording: {
    heading: '受付内容を送っています',
    body: 'そのままお待ちください。カードはまだ取り出さないでください。',
  },
  staff: {
    heading: '受付の職員をお呼びください',
    body: 'このままお待ちください。職員が本人確認をお手伝いします。',
  },
  registration: {
    heading: '健康保険証としての利用登録をしますか？',
    body: 'マイナンバーカードを健康保険証として使うための登録です。登録は一度だけです。',
    yes: '登録する',
    no: '登録しない',
  },
  consent: {
    heading: '{{item}}を当機関に提供することに同意しますか？',
    headingBundled: '次の情報を当機関に提供することに同意しますか？',
    note: '同意しなくても診察や調剤は受けられます。',
    agree: '同意する',
    decline: '同意しない',
    item: {
      medication: '過去のお薬情報',
      checkup: '過去の健診情報',
      diagnosis: '診療情報',
      surgery: '手術情報',
    },
    detail: {
      medication: 'これまでに処方されたお薬の名前や量です。',
      checkup: '特定健診（40歳以上の方）の結果です。',
      diagnosis: 'これまでの診療や検査の記録です。',
      surgery: 'これまでに受けた手術の記録です。',
    },
  },
  done: {
    heading: '{{name}}様　確認が完了しました。',
    body: 'マイナンバーカードを取り出し、待合室でお待ちください。',
    voice: '確認が完了しました。マイナンバーカードを取り出し、待合室でお待ちください。',
  },
  limitInfo: {
    heading: '限度額情報を提供しますか？',
    body: '高額療養費制度を利用する方は「提供する」を選んでください。窓口でのお支払いが自己負担の限度額までになります。',
    yes: '提供する',
    no: '提供しない',
  },
  takeCard: {
    heading: '受付完了後はマイナンバーカードを忘れずにお取りください！',
    headingStopped: 'マイナンバーカードをお取りください',
    body: 'カードをカードリーダーから取り出してください。',
    again: 'カードがまだ置かれたままです。お取りください。',
  },
  continue: {
    heading: '続けますか？',
    body: 'しばらく操作がありません。続ける場合は「はい」を押してください。',
    yes: 'はい',
  },
  stop: {
    'card-removed': 'カードが取り出されたため、受付を中止しました。',
    'not-my-number-card': 'マイナンバーカードではないようです。カードをお確かめください。',
    'card-error': 'カードの情報を読み取れませんでした。',
    'pin-blocked': '暗証番号がロックされています。ロックの解除はお住まいの市区町村の窓口でできます。',
    'face-failed': '顔認証で本人確認ができませんでした。',
    'pinless-needs-staff': '顔認証ができなかったため、職員が本人確認をします。',
    'upstream-unreachable': 'ただいま資格確認のシステムにつながりません。',
    'upstream-refused': '資格情報を確認できませんでした。',
    'registration-declined': '健康保険証としての利用登録がないため、この受付機では受付できません。',
    'timed-out': 'しばらく操作がなかったため、受付を終了しました。',
    'patient-exit': '受付を終了しました。',
    'kiosk-fault': '受付機に問題が起きました。',
  },
};

/** The shape every language must fill: the same keys, any strings. */
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof ja>;
