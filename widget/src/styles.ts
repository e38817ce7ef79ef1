// Lives inside the Shadow DOM: nothing leaks to the host page and host CSS cannot reach in.
export const CSS = `
:host{all:initial;display:contents;--bg:#f9fafb;--card:#fff;--tx:#111827;--mut:#6b7280;--bd:#e5e7eb;--bd2:#d1d5db;--a:#1d4ed8;--err:#b91c1c;--star:#b45309}
@media (prefers-color-scheme:dark){:host{--bg:#111827;--card:#1f2937;--tx:#f3f4f6;--mut:#9ca3af;--bd:#374151;--bd2:#4b5563;--a:#93c5fd;--err:#fca5a5;--star:#fbbf24}}
*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
[hidden]{display:none!important}
.launcher{position:fixed;right:20px;bottom:20px;width:60px;height:60px;border-radius:50%;border:0;background:var(--c);color:var(--i);cursor:pointer;box-shadow:0 6px 24px rgba(0,0,0,.25);display:grid;place-items:center;z-index:2147483646;transition:transform .15s}
.launcher:hover{transform:scale(1.06)}
.launcher svg{width:28px;height:28px}
:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}
.panel{position:fixed;right:20px;bottom:92px;width:370px;height:min(600px,calc(100vh - 120px));background:var(--bg);color:var(--tx);border-radius:16px;box-shadow:0 12px 48px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden;z-index:2147483647;font-size:15px;line-height:1.4;transition:opacity .15s,transform .15s}
.bar{background:var(--c);color:var(--i);padding:14px 16px;display:flex;align-items:center;gap:10px}
.bar .who{flex:1;min-width:0}
.bar h2{margin:0;font-size:16px;font-weight:700}
.bar p{margin:2px 0 0;font-size:12.5px}
.bar .dot{display:inline-block;width:8px;height:8px;border-radius:50%;background:#9ca3af;margin-right:6px}
.bar .dot.on{background:#4ade80}
.bar button{background:transparent;border:0;color:inherit;font-size:22px;cursor:pointer;width:36px;height:36px;border-radius:8px}
.log{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:8px;background:var(--bg)}
.msg{max-width:85%;padding:9px 12px;border-radius:14px;white-space:pre-wrap;word-wrap:break-word}
.msg.visitor{align-self:flex-end;background:var(--c);color:var(--i);border-bottom-right-radius:4px}
.msg.bot,.msg.agent{align-self:flex-start;background:var(--card);border:1px solid var(--bd);border-bottom-left-radius:4px}
.msg.system{align-self:center;background:transparent;color:var(--mut);font-size:13px;text-align:center}
.msg .by{display:block;font-size:11.5px;color:var(--mut);margin-bottom:2px}
.msg.failed{opacity:.7}
.msg[aria-busy]::after{content:"▍";opacity:.4}
.msg .err{display:block;font-size:12px;margin-top:4px}
.msg .err button{background:transparent;border:0;color:inherit;text-decoration:underline;cursor:pointer;padding:0;font:inherit}
.typing{align-self:flex-start;color:var(--mut);font-size:13px;padding:4px 2px}
.typing i{display:inline-block;width:6px;height:6px;margin-left:3px;border-radius:50%;background:#9ca3af;animation:b 1s infinite}
.typing i:nth-child(2){animation-delay:.15s}.typing i:nth-child(3){animation-delay:.3s}
@keyframes b{0%,80%,100%{opacity:.3}40%{opacity:1}}
.notice{margin:auto;text-align:center;color:var(--tx);padding:24px}
.notice button,.human{margin-top:10px;border:1px solid var(--bd2);background:var(--card);border-radius:999px;padding:7px 14px;cursor:pointer;font-size:13.5px;color:var(--tx)}
.human{margin:0 16px 8px;align-self:flex-start}
.human:disabled{opacity:.5;cursor:default}
form{display:flex;gap:8px;padding:10px 12px;border-top:1px solid var(--bd);background:var(--card)}
textarea{flex:1;resize:none;border:1px solid var(--bd2);border-radius:10px;padding:9px 11px;font-size:15px;max-height:120px;color:var(--tx);background:var(--card)}
form button{border:0;background:var(--c);color:var(--i);border-radius:10px;padding:0 14px;font-weight:600;cursor:pointer}
form button:disabled{opacity:.5;cursor:default}
.consent{background:var(--card);border:1px solid var(--bd);border-radius:12px;padding:10px 12px;font-size:13.5px;color:var(--tx)}
.consent p{margin:0 0 6px;white-space:pre-wrap}
.consent a{color:var(--a)}
.consent .accept{display:block;margin-top:6px;border:0;background:var(--c);color:var(--i);border-radius:999px;padding:7px 16px;font-weight:600;cursor:pointer;font-size:13.5px}
.msg .file{display:block;color:inherit}
.msg img{display:block;max-width:100%;max-height:180px;border-radius:8px}
form .att{background:none;color:var(--mut);padding:0 4px}
.att svg{width:20px;height:20px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.badge{position:absolute;top:-3px;right:-3px;min-width:20px;height:20px;padding:0 5px;border-radius:10px;background:#b91c1c;color:#fff;font-size:12px;font-weight:700;line-height:20px;text-align:center}
.at{margin-top:-5px;font-size:11px;color:var(--mut)}
.at.visitor{text-align:right}
.msg ul,.msg ol{margin:0;padding-left:20px}
@media (max-width:480px){.panel{inset:0;width:100%;height:100%;border-radius:0;bottom:0;right:0}}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}
`;
