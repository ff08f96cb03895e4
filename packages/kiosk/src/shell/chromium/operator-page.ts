/**
 * The operator (staff) panel's page: plain HTML with its script and style as separate files, because
 * the content security policy allows no inline script or style. Bilingual labels, real buttons,
 * and status lines announced to screen readers.
 */
import { OPERATOR_SCRIPT_PATH, OPERATOR_STYLE_PATH } from '../../preload/host-protocol.ts';

export const OPERATOR_HTML = `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>操作パネル (Operator panel)</title>
<link rel="stylesheet" href="${OPERATOR_STYLE_PATH}">
<script src="${OPERATOR_SCRIPT_PATH}" defer></script>
</head>
<body>
<main>
<h1>操作パネル <span lang="en">Operator panel</span></h1>
<p id="connection" role="status">接続中… <span lang="en">Connecting…</span></p>
<section aria-labelledby="kiosk-heading">
<h2 id="kiosk-heading">受付機 <span lang="en">Kiosk</span></h2>
<dl>
<dt>画面 <span lang="en">Screen</span></dt><dd id="screen">—</dd>
<dt>目視確認 <span lang="en">Visual check</span></dt><dd id="visual-check">—</dd>
</dl>
</section>
<section aria-labelledby="staff-heading">
<h2 id="staff-heading">職員の操作 <span lang="en">Staff actions</span></h2>
<button type="button" id="visual-check-button">次の患者を目視確認にする <span lang="en">Visual check for the next patient</span></button>
<button type="button" id="confirmed-button">確認しました <span lang="en">Confirmed</span></button>
</section>
<section id="cards" aria-labelledby="cards-heading" hidden>
<h2 id="cards-heading">テスト用カード <span lang="en">Test cards</span></h2>
<ul id="people"></ul>
<button type="button" id="remove-button">カードを取り出す <span lang="en">Remove the card</span></button>
</section>
<p id="result" role="status"></p>
</main>
</body>
</html>
`;

export const OPERATOR_CSS = `
body { font-family: "Noto Sans CJK JP", "Noto Sans JP", sans-serif; font-size: 1.25rem; margin: 1.5rem; color: #111; background: #fff; }
main { max-width: 48rem; }
h1 { font-size: 1.75rem; }
h2 { font-size: 1.375rem; margin-top: 2rem; }
span[lang="en"] { font-size: 0.8em; color: #444; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dd { margin: 0; font-weight: bold; }
ul { list-style: none; padding: 0; }
li { margin: 0.5rem 0; }
button { font: inherit; min-height: 3rem; padding: 0.5rem 1rem; margin: 0.25rem 0.5rem 0.25rem 0; border: 2px solid #0b4f9c; border-radius: 0.5rem; background: #e8f0fb; color: #111; cursor: pointer; }
button:focus-visible { outline: 3px solid #d35400; outline-offset: 2px; }
#result, #connection { min-height: 1.5em; }
`;
