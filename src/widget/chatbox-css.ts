/**
 * The chat box's stylesheet (lazy chunk). It builds on the launcher's sheet (host reset, `.sr`,
 * `[hidden]`, reduced motion). Layout uses logical properties so `dir="rtl"` mirrors it; colours
 * keep WCAG AA contrast on white (#57606a 6.4:1, #b42318 6.6:1, white on the default accent #1d4ed8 6.7:1).
 * Under 480 px wide the box takes the whole screen.
 */
export const chatBoxCss = `
.box{position:fixed;bottom:88px;right:20px;z-index:2147483001;display:flex;flex-direction:column;width:min(380px,calc(100vw - 40px));height:min(620px,calc(100vh - 108px));overflow:hidden;border-radius:16px;background:#fff;color:#1f2328;box-shadow:0 12px 40px #0004;animation:parley-in .2s ease-out}
:host([data-position=left]) .box{right:auto;left:20px}
:host([data-inline]) .box{position:relative;right:auto;bottom:auto;z-index:auto;width:100%;height:100%;min-height:420px;box-shadow:none;border:1px solid #d0d7de;animation:none}
@media (max-width:480px){:host(:not([data-inline])) .box{inset:0;width:auto;height:auto;border-radius:0}}
@keyframes parley-in{from{opacity:0;transform:translateY(12px)}}
button,input,textarea{font:inherit;color:inherit}
:focus-visible{outline:2px solid #1f2328;outline-offset:2px}
p{margin:0}
.head{display:flex;align-items:center;gap:8px;padding:10px 12px;padding-inline-start:16px;background:var(--parley-accent,#1d4ed8);color:var(--parley-on-accent,#fff)}
.head :focus-visible{outline-color:currentColor}
.title{flex:1;margin:0;font-size:16px;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.avatar{border-radius:50%;object-fit:cover}
.icon,.text{min-width:40px;min-height:40px;padding:0 8px;border:0;border-radius:8px;background:none;cursor:pointer;font-size:20px;line-height:1}
.text{font-size:14px;font-weight:600;text-decoration:underline}
.confirm{display:flex;flex-wrap:wrap;align-items:center;gap:8px;padding:10px 16px;background:#f6f8fa;border-block-end:1px solid #d0d7de}
.confirm p{flex-basis:100%;font-weight:600}
.notice{padding:8px 16px;background:#fff8c5;font-size:14px}
.body{flex:1;display:flex;flex-direction:column;min-height:0;overflow-y:auto}
.list{flex:1;overflow-y:auto;padding:16px}
.list ol{margin:0;padding:0;list-style:none}
.greeting{margin-block-end:12px;color:#57606a}
.group{display:flex;flex-direction:column;align-items:flex-start;margin-block-end:12px}
.group.visitor{align-items:flex-end}
.group.system{align-items:center}
.item{display:flex;flex-direction:column;align-items:inherit;max-width:85%}
.meta,.note{font-size:12px;color:#57606a;margin-block:2px}
.msg{margin-block:2px;padding:8px 12px;border-radius:14px;background:#eef1f4;white-space:pre-wrap;overflow-wrap:anywhere}
.visitor .msg{background:var(--parley-accent,#1d4ed8);color:var(--parley-on-accent,#fff)}
.system .msg{background:none;color:#57606a;font-size:13px;text-align:center}
.msg a{color:inherit}
.typing{display:flex;align-items:center;gap:6px}
.dots{display:inline-flex;gap:3px}
.dots i{width:5px;height:5px;border-radius:50%;background:currentColor;animation:parley-blink 1.2s infinite}
.dots i:nth-child(2){animation-delay:.2s}
.dots i:nth-child(3){animation-delay:.4s}
@keyframes parley-blink{50%{opacity:.2}}
.queue{margin-block-start:8px;padding:8px 12px;border-radius:10px;background:#eef1f4;font-size:14px;text-align:center}
.composer{position:relative;border-block-start:1px solid #d0d7de}
.composer .notice{background:#dafbe1}
.compose{display:flex;align-items:flex-end;gap:8px;padding:10px 12px}
.compose textarea{flex:1;min-width:0;max-height:120px;field-sizing:content}
input,textarea{width:100%;padding:8px 10px;border:1px solid #6e7781;border-radius:10px;background:#fff;font-size:16px;resize:none}
[aria-invalid=true]{border-color:#b42318}
.btn{min-height:40px;padding:0 16px;border:2px solid transparent;border-radius:10px;background:var(--parley-accent,#1d4ed8);color:var(--parley-on-accent,#fff);font-weight:600;cursor:pointer}
.btn.quiet{border-color:#6e7781;background:#fff;color:#1f2328}
.btn:disabled{cursor:wait}
.compose .icon{border:1px solid #6e7781;border-radius:10px;color:#1f2328}
.menu-wrap{position:relative}
.menu{position:absolute;bottom:calc(100% + 6px);inset-inline-start:0;min-width:180px;padding:4px;border:1px solid #d0d7de;border-radius:10px;background:#fff;box-shadow:0 6px 20px #0003}
.menu button{display:block;width:100%;padding:10px 12px;border:0;border-radius:6px;background:none;text-align:start;cursor:pointer}
.menu button:hover,.menu button:focus{background:#eef1f4}
.form{display:flex;flex-direction:column;gap:10px;padding:16px}
.panel{border-block-start:1px solid #d0d7de}
.form label{display:flex;flex-direction:column;gap:4px;font-size:14px;font-weight:600}
.error{color:#b42318;font-size:13px}
.actions{display:flex;flex-wrap:wrap;gap:8px}
fieldset{margin:0;padding:0;border:0}
legend{margin-block-end:8px;font-size:14px;font-weight:600}
.scores{display:flex;gap:6px}
.form .scores label{flex:1;flex-direction:row;align-items:center;justify-content:center;gap:4px;min-height:40px;border:1px solid #6e7781;border-radius:10px;cursor:pointer}
.scores input{width:auto;margin:0}
`;
