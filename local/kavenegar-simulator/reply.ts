/** Kavenegar's reply envelope, status texts and error messages. */

/** What an API method answers; the server wraps it into the envelope. */
export interface ApiResult {
  /** Kavenegar's return.status, also the HTTP status. */
  readonly status: number;
  readonly entries: unknown;
}

const ERROR_MESSAGES: Readonly<Record<number, string>> = {
  400: 'پارامترها کامل نیستند',
  401: 'حساب کاربری غیرفعال شده است',
  402: 'عملیات ناموفق بود',
  403: 'کد شناسائی API-Key معتبر نمی‌باشد',
  404: 'متد نامشخص است',
  405: 'متد Get/Post اشتباه است',
  406: 'پارامترهای اجباری خالی ارسال شده اند',
  409: 'سرور قادر به پاسخگوئی نیست بعدا تلاش کنید',
  411: 'دریافت کننده نامعتبر است',
  412: 'ارسال کننده نامعتبر است',
  413: 'پیام خالی است و یا طول پیام بیش از حد مجاز می‌باشد',
  414: 'حجم درخواست بیشتر از حد مجاز است',
  417: 'تاریخ نامعتبر است',
  418: 'اعتبار حساب شما کافی نیست',
  419: 'طول آرایه متن و گیرنده و فرستنده هم اندازه نیست',
  451: 'فراخوانی بیش از حد در بازه زمانی مشخص',
};

const STATUS_TEXTS: Readonly<Record<number, string>> = {
  1: 'در صف ارسال قرار دارد',
  2: 'زمان بندی شده (ارسال در تاریخ معین)',
  4: 'ارسال شده به مخابرات',
  5: 'ارسال شده به مخابرات',
  6: 'خطا در ارسال پیام',
  10: 'رسیده به گیرنده',
  11: 'نرسیده به گیرنده',
  13: 'ارسال پیام از سمت کاربر لغو شده یا در ارسال آن مشکلی پیش آمده که هزینه آن به حساب برگشت داده میشود',
  14: 'بلاک شده است، عدم تمایل گیرنده به دریافت پیامک از خطوط تبلیغاتی',
  100: 'شناسه پیامک نامعتبر است',
};

/** An error answer: entries null, the code as HTTP status. */
export function fail(code: number): ApiResult {
  return { status: code, entries: null };
}

/** A success answer. */
export function ok(entries: unknown): ApiResult {
  return { status: 200, entries };
}

/** The `{return:{status,message}, entries}` body. */
export function envelope(result: ApiResult): string {
  const message = result.status === 200 ? 'تایید شد' : (ERROR_MESSAGES[result.status] ?? 'خطا');
  return JSON.stringify({ return: { status: result.status, message }, entries: result.entries });
}

/** Kavenegar's text for a message status. */
export function statusText(status: number): string {
  return STATUS_TEXTS[status] ?? '';
}
