using System;
using System.Security.Cryptography;
using System.Text;

namespace PostureSync.Core.Report
{
    /// <summary>
    /// The page's only style and script, and the Content-Security-Policy that allows exactly these two by hash and
    /// nothing else: no other script, style, image, font, frame or connection, so text from the data cannot run or fetch.
    /// </summary>
    internal static class ReportAssets
    {
        public const string Style =
            "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;padding:0 16px 24px;max-width:1400px;color:#1d232a;background:#fff}" +
            "h1{font-size:22px;margin:16px 0 4px}h2{font-size:18px;margin:24px 0 8px;border-bottom:1px solid #ccd2d8}" +
            "nav a{margin-right:12px}.meta{color:#56606b;margin:0 0 8px}" +
            "table{border-collapse:collapse;width:100%;margin:4px 0}th,td{border:1px solid #d5dbe1;padding:4px 6px;text-align:left;vertical-align:top}" +
            "th{background:#eef1f4;position:sticky;top:0}th[data-sort]{cursor:pointer}td.num{text-align:right}table.counts{width:auto;min-width:260px}.cards{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}" +
            "details.page{margin:6px 0;content-visibility:auto;contain-intrinsic-size:auto 600px}details>summary{cursor:pointer;font-weight:600;padding:4px 0}" +
            ".badge{display:inline-block;padding:1px 6px;border-radius:3px;font-weight:600;color:#fff}" +
            ".st-unhealthy .badge,.badge.st-unhealthy{background:#b3261e}.st-degraded .badge,.badge.st-degraded{background:#a85d00}" +
            ".st-unknown .badge,.badge.st-unknown{background:#5f6b76}.st-healthy .badge,.badge.st-healthy{background:#1e7d34}" +
            "rect.st-unhealthy,circle.st-unhealthy{fill:#b3261e}rect.st-degraded,circle.st-degraded{fill:#d07a00}" +
            "rect.st-unknown,circle.st-unknown{fill:#7a8591}rect.st-healthy,circle.st-healthy{fill:#2e9d4a}" +
            "ul.findings{margin:0;padding-left:18px}.todo{display:block;color:#0b4f8a}.todo::before{content:'What to do: ';font-weight:600}" +
            ".check{font-weight:600}svg text{font-size:12px;fill:#1d232a}svg .lane{stroke:#d5dbe1}" +
            ".ev-posture{fill:#1f6fb2}.ev-probe{fill:#2e9d4a}.ev-error{fill:#b3261e}.ev-restart{fill:#7b3fb2}" +
            ".ps-compliant{fill:#2e9d4a}.ps-noncompliant{fill:#b3261e}.ps-pending{fill:#d07a00}.ps-unknown{fill:#7a8591}" +
            ".note{background:#fff6e0;border-left:4px solid #d07a00;padding:6px 10px;margin:8px 0}" +
            ".tools{margin:8px 0}.tools input{width:320px;padding:4px}.tools select{padding:4px}.msg{white-space:pre-wrap;word-break:break-word}" +
            "footer{margin-top:32px;color:#56606b;border-top:1px solid #ccd2d8;padding-top:8px}" +
            "@media print{details.page{content-visibility:visible}.tools{display:none}}";

        // Filter box and sortable columns for the endpoint table. The page reads fully without it: the tools start
        // hidden, and every row is in the document in worst-first order.
        public const string Script =
            "(function(){'use strict';" +
            "var tools=document.getElementById('tools');if(!tools){return;}tools.hidden=false;" +
            "var box=document.getElementById('filter'),pick=document.getElementById('status-filter'),shown=document.getElementById('shown');" +
            "var pages=[].slice.call(document.querySelectorAll('#endpoints details.page'));" +
            "var bodies=pages.map(function(p){return p.querySelector('tbody');});" +
            "var rows=[].slice.call(document.querySelectorAll('#endpoints tr.report'));" +
            "var text=rows.map(function(r){return r.textContent.toLowerCase();});" +
            "function apply(){var q=box.value.toLowerCase(),s=pick.value,n=0;" +
            "rows.forEach(function(r,i){var ok=(!s||r.getAttribute('data-status')===s)&&(!q||text[i].indexOf(q)>=0);r.hidden=!ok;if(ok){n++;}});" +
            "pages.forEach(function(p){var any=p.querySelector('tr.report:not([hidden])')!==null;p.hidden=!any;if(any&&(q||s)){p.open=true;}});" +
            "shown.textContent=n+' of '+rows.length+' shown';}" +
            "box.addEventListener('input',apply);pick.addEventListener('change',apply);" +
            "var order={};[].forEach.call(document.querySelectorAll('#endpoints table')[0].querySelectorAll('th[data-sort]'),function(th){" +
            "th.addEventListener('click',function(){var col=th.cellIndex,up=order[col]=!order[col];" +
            "function key(r){var c=r.cells[col];return c.hasAttribute('data-key')?c.getAttribute('data-key'):c.textContent;}" +
            "var keyed=rows.map(function(r,i){return{r:r,k:key(r),i:i};});" +
            "keyed.sort(function(a,b){var x=a.k,y=b.k,nx=Number(x),ny=Number(y),c;" +
            "if(x!==''&&y!==''&&!isNaN(nx)&&!isNaN(ny)){c=nx-ny;}else{c=x.localeCompare(y);}if(c===0){c=a.i-b.i;}return up?c:-c;});" +
            "var at=0;bodies.forEach(function(b){var size=b.rows.length;for(var j=0;j<size;j++){b.appendChild(keyed[at++].r);}});" +
            "rows=keyed.map(function(k){return k.r;});text=rows.map(function(r){return r.textContent.toLowerCase();});apply();});});" +
            "})();";

        public static string StyleHash { get; } = Sha256(Style);

        public static string ScriptHash { get; } = Sha256(Script);

        /// <summary>default-src 'none' covers images, fonts, frames, media, connections and workers; base and forms are closed too.</summary>
        public static string ContentSecurityPolicy { get; } =
            $"default-src 'none'; style-src '{StyleHash}'; script-src '{ScriptHash}'; img-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'";

        private static string Sha256(string text)
        {
            using (var sha = SHA256.Create())
            {
                return "sha256-" + Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(text)));
            }
        }
    }
}
