using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PostureSync.Core.Json;

namespace PostureSync.Core.Ise
{
    /// <summary>
    /// One command's reads through an <see cref="IseRestClient"/>: JSON answers, ERS paging, and the ERS and Open API
    /// error bodies turned into messages. Carries the caller's log and cancellation.
    /// </summary>
    internal sealed class IseReader
    {
        /// <summary>ERS's largest page (ISE-API.md §3.1).</summary>
        public const int PageSize = 100;

        /// <summary>A list longer than this many pages is not followed to its end: 100,000 objects is far past any deployment.</summary>
        public const int DefaultMaxPages = 1000;

        private readonly SemaphoreSlim throttle;

        public IseReader(IseRestClient client, Action<string>? log, CancellationToken cancellation, TimeSpan? timeout = null, int? throttleLimit = null)
        {
            Client = client;
            Log = log;
            Cancellation = cancellation;
            Timeout = timeout ?? client.Options.Timeout;
            throttle = new SemaphoreSlim(Math.Max(1, throttleLimit ?? client.Options.ThrottleLimit));
        }

        /// <summary>Each request's limit, retries not included.</summary>
        public TimeSpan Timeout { get; }

        public IseRestClient Client { get; }

        public Action<string>? Log { get; }

        public CancellationToken Cancellation { get; }

        public int MaxPages { get; set; } = DefaultMaxPages;

        /// <summary>One GET, once a slot of the throttle is free (held through the client's retries, so a rate-limited ISE sees fewer requests).</summary>
        public async Task<IseResponse> GetAsync(string path, IseApi api)
        {
            await throttle.WaitAsync(Cancellation).ConfigureAwait(false);
            try
            {
                return await Client.GetAsync(path, api, Timeout, Log, Cancellation).ConfigureAwait(false);
            }
            finally
            {
                throttle.Release();
            }
        }

        /// <summary>The JSON body of a 200; null on 404; any other status is a failure.</summary>
        public async Task<JsonTree?> GetJsonOrNullAsync(string path, IseApi api)
        {
            IseResponse response = await GetAsync(path, api).ConfigureAwait(false);
            if (response.Status == 404)
            {
                return null;
            }

            return Json(response);
        }

        public async Task<JsonTree> GetJsonAsync(string path, IseApi api) =>
            await GetJsonOrNullAsync(path, api).ConfigureAwait(false) ?? throw IseErrors.Status(path, 404, "not found");

        /// <summary>The body of a 200 as JSON; other statuses are failures with the server's own error text.</summary>
        public static JsonTree Json(IseResponse response)
        {
            if (response.Status != 200)
            {
                throw IseErrors.Status(response.Path, response.Status, ErrorDetail(response));
            }

            try
            {
                return JsonTree.Parse(response.Body);
            }
            catch (FormatException ex)
            {
                throw IseErrors.Invalid(response.Path, ex.Message, ex);
            }
        }

        /// <summary>
        /// Every resource of an ERS list, page by page (size 100): follows <c>nextPage</c> by its query only (its host
        /// may be another name or :9060, ISE-API.md §7.10), or the next page number when it is missing; stops when a
        /// page is short or empty, when <c>total</c> is reached, on the 400/404/500 some releases give past the last
        /// page, and at <see cref="MaxPages"/>.
        /// </summary>
        public async Task<List<JsonTree>> GetErsListAsync(string resource)
        {
            var items = new List<JsonTree>();
            int page = 1;
            int size = PageSize;
            while (true)
            {
                string path = string.Format(CultureInfo.InvariantCulture, "/ers/config/{0}?size={1}&page={2}", resource, size, page);
                IseResponse response = await GetAsync(path, IseApi.Ers).ConfigureAwait(false);
                if (page > 1 && (response.Status == 400 || response.Status == 404 || response.Status == 500))
                {
                    Log?.Invoke(string.Format(CultureInfo.InvariantCulture, "ISE answered page {0} of {1} with HTTP {2}: taken as past the last page.", page, resource, response.Status));
                    break;
                }

                JsonTree result = Json(response)["SearchResult"] ?? throw IseErrors.Invalid(path, "it has no SearchResult");
                List<JsonTree> resources = result["resources"]?.Items.ToList() ?? new List<JsonTree>();
                items.AddRange(resources);
                int? total = result.Int("total");
                string? next = result["nextPage"]?.String("href");
                if (resources.Count == 0 || resources.Count < size || (total is int t && items.Count >= t))
                {
                    break;
                }

                // nextPage has been missing on some releases (ISE-API.md §7.2): a full page then means "ask for the next".
                int nextPage = page + 1;
                int nextSize = size;
                if (next != null && (!TryReadPage(next, out nextPage, out nextSize) || nextPage <= page))
                {
                    Log?.Invoke($"nextPage of {resource} is not a later page; the list ends here.");
                    break;
                }

                if (nextPage > MaxPages)
                {
                    throw IseErrors.Invalid(path, string.Format(CultureInfo.InvariantCulture, "the {0} list goes on past {1} pages", resource, MaxPages));
                }

                page = nextPage;
                size = nextSize;
            }

            return items;
        }

        /// <summary>page and size from a nextPage href's query; size is kept within ERS's 1 to 100.</summary>
        internal static bool TryReadPage(string href, out int page, out int size)
        {
            page = 0;
            size = PageSize;
            int query = href.IndexOf('?');
            if (query < 0)
            {
                return false;
            }

            foreach (string pair in href.Substring(query + 1).Split('&'))
            {
                int equals = pair.IndexOf('=');
                if (equals <= 0)
                {
                    continue;
                }

                string name = pair.Substring(0, equals);
                bool number = int.TryParse(pair.Substring(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int value);
                if (number && string.Equals(name, "page", StringComparison.OrdinalIgnoreCase))
                {
                    page = value;
                }
                else if (number && string.Equals(name, "size", StringComparison.OrdinalIgnoreCase) && value >= 1 && value <= PageSize)
                {
                    size = value;
                }
            }

            return page > 0;
        }

        /// <summary>The message of an ERS, Open API or deployment error body, if the body is one (ISE-API.md §1.7).</summary>
        public static string? ErrorDetail(IseResponse response)
        {
            if (!response.IsJson || response.Body.Length == 0)
            {
                return null;
            }

            try
            {
                JsonTree body = JsonTree.Parse(response.Body);
                JsonTree? message = body["ERSResponse"]?["messages"]?.Items.FirstOrDefault();
                string? text = message != null
                    ? message.String("title") ?? message.String("code")
                    : body.String("message") ?? body["error"]?.String("message");
                return text is null ? null : Clip(text, 200);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        /// <summary>Server text for a message: control characters out, bounded length.</summary>
        public static string Clip(string text, int length)
        {
            var clean = new string(text.Select(c => char.IsControl(c) ? ' ' : c).Take(length).ToArray()).Trim();
            return text.Length > length ? clean + "..." : clean;
        }
    }
}
