"""Japanese for the family side of the coupons (webapp/coupons)."""

JA = {
    "Serial code": "シリアルコード", "Which child are the coupons for?": "どのお子さまのクーポンですか？",
    "Choose one of your children.": "お子さまを選んでください。", "The child's birth date (to confirm)": "お子さまの生年月日（確認のため）",
    "Enter the birth date.": "生年月日を入力してください。", "Twins, triplets or more (multiple birth)": "双子・三つ子など（多胎）",
    "Passcode (6 digits)": "パスコード（6桁）", "Enter the 6-digit passcode.": "6桁のパスコードを入力してください。",
    "Service": "事業", "Choose the service.": "事業を選んでください。", "How many coupons?": "何枚使いますか？",
    "No coupon has this serial code. Check the code again.": "このシリアルコードのクーポンは見つかりません。もう一度ご確認ください。",
    "The birth date does not match the child's record.": "生年月日が登録内容と一致しません。",
    "This passcode does not match any provider. Check the digits with the staff.": "このパスコードに一致する提供者がありません。スタッフに番号をご確認ください。",
    "90 days from the first use": "初回利用日から90日間", "Expires soon": "期限間近", "Not usable": "利用不可", "left": "枚",
    "This code cannot be used": "このコードは使えません",
    "The code may be old (the provider changed it). Ask the staff for the current passcode.": "古いコードの可能性があります（提供者がコードを変更しました）。スタッフに現在のパスコードをお尋ねください。",
    "My coupons": "わたしのクーポン", "Whose coupons?": "どのお子さまのクーポンを使いますか？", "You have no coupons yet.": "まだクーポンがありません。",
    "Find e-tickets (enter a serial code)": "電子チケットを探す（シリアルコード入力）", "Find e-tickets": "電子チケットを探す",
    "Enter the serial code you received from Matsumoto City. Hyphens, lower case and full-width characters are all fine.":
        "松本市から届いたシリアルコードを入力してください。ハイフンの有無、小文字・全角のどれでも入力できます。",
    "Example: ABCD-EFGH-JKMN-P": "例：ABCD-EFGH-JKMN-P", "Coupons received": "受け取りました", "coupons left": "枚 残っています",
    "Each service needs its own registration or application before you use it. Ask the contact of the service.":
        "クーポンを使うには、事業ごとに事前の登録や利用の申請が必要です。各事業の問い合わせ先にご確認ください。",
    "Use the e-tickets": "電子チケットを利用する", "Receive the coupons": "クーポンを受け取る", "coupons": "枚",
    "%(yen)s yen each": "1枚%(yen)s円",
    "Valid until %(date)s (some services differ: see each coupon).": "%(date)sまで有効（事業によって異なります。各クーポンをご覧ください）。",
    "One set per child. The coupons can only be used for this child; they cannot be shared with brothers and sisters, given to others, exchanged for cash or issued again.":
        "お子さま1人につき1セットです。登録したお子さまだけが使えます。兄弟姉妹での共有、譲渡、換金、再発行はできません。",
    "Receive": "受け取る", "Add your child (with the birth date) on your account page first.": "先にアカウントページでお子さま（生年月日つき）を登録してください。",
    "Check with the staff": "スタッフと確認してください",
    "Show this screen to the staff and check the details together before you confirm.": "この画面をスタッフに見せ、内容を一緒に確認してから確定してください。",
    "Receipt number": "受付番号", "Provider": "提供者", "Date and time": "利用日時", "Child": "お子さま", "Coupons": "枚数", "yen": "円",
    "Use the coupons": "クーポンを使う", "Change the number": "枚数を変更する", "Usage history": "利用履歴",
    "No coupons used yet.": "まだ利用はありません。", "%(num)d coupons": "%(num)d枚",
    "Correction: %(num)d coupons given back": "訂正：%(num)d枚を戻しました", "Enter the passcode": "パスコードを入力する",
    "Too many wrong passcodes. For your security, wait 15 minutes and ask the staff for the code again.":
        "パスコードのまちがいが続きました。安全のため15分ほど待ち、スタッフにもう一度コードをお尋ねください。",
    "Enter the 6-digit passcode printed under the QR code at the provider.": "提供者のQRコードの下にある6桁のパスコードを入力してください。",
    "Coupons used": "利用が完了しました", "Used at": "利用日時", "This is an earlier receipt.": "これは過去の利用の画面です。",
    "Remaining: %(num)d": "残り: %(num)d枚", "Back to the top": "トップへ戻る", "Read the code": "コード読み取り",
    "Point the camera at the provider's QR code.": "提供者のQRコードにカメラを向けてください。",
    "This browser cannot read codes with the camera. Use the passcode instead.": "このブラウザではカメラでの読み取りができません。パスコードをご利用ください。",
    "This is not a provider code of this site.": "このサイトの提供者のコードではありません。", "Starting the camera…": "カメラを起動しています…",
    "The camera could not start": "カメラを起動できませんでした", "Allow this site to use the camera:": "このサイトにカメラの利用を許可してください：",
    "iPhone (Safari): Settings → Safari → Camera → Allow, or tap “aA” in the address bar → Website Settings → Camera → Allow.":
        "iPhone（Safari）：設定 → Safari → カメラ →「許可」、またはアドレスバーの「ぁあ」→ Webサイトの設定 → カメラ →「許可」。",
    "Android (Chrome): tap the icon left of the address → Permissions → Camera → Allow.":
        "Android（Chrome）：アドレスの左のアイコン → 権限 → カメラ →「許可」。",
    "1 to %(max)d. If the bill is more than the coupons cover, pay the rest another way.":
        "1〜%(max)d枚。クーポンで足りない分は、現金など別の方法でお支払いください。",
    "You have no coupons yet. Receive them with the serial code from the city.": "まだクーポンがありません。市から届いたシリアルコードで受け取ってください。",
    "Notices": "お知らせ", "%(num)d unread": "未読%(num)d件", "Mark as read": "既読にする", "Open the coupons": "チケットを開く",
    "Filter and sort": "絞り込み・並び替え", "Condition": "条件", "Usable now": "今使える", "Expiring within 30 days": "30日以内に期限切れ",
    "Expiry date": "有効期限順", "Remaining": "残り枚数順", "Name": "名前順", "Recently used": "最近使った順",
    "Filter with these conditions": "この条件で絞り込む", "No coupons match these conditions.": "条件に合うクーポンはありません。",
}

JA.update({
    "Coupon sets and budget by programme": "年度別のクーポン発行数と予算", "Programme": "事業年度", "Sets claimed": "受け取り済みセット",
    "Issued (yen)": "発行額（円）", "Used (yen)": "利用額（円）", "Coupons used by service (net of corrections)": "事業別の利用枚数（訂正後）",
    "Coupons used by month (Japan time)": "月別の利用枚数（日本時間）", "Serial codes": "シリアルコード", "Coupon providers": "クーポン提供者",
    "How many serial codes": "発行するシリアルコードの数", "Enter a number from 1 to 10,000.": "1〜10,000の数を入力してください。",
    "Note (e.g. where the codes go)": "メモ（配布先など）", "%(num)d serial codes generated.": "シリアルコードを%(num)d件発行しました。",
    "A new passcode and QR code were issued for %(name)s. Send the provider the new poster.":
        "%(name)sのパスコードとQRコードを新しくしました。新しいポスターを提供者へお送りください。",
    "Generate": "発行する", "Batches": "発行履歴", "Codes": "件数", "Used": "使用済み", "Note": "メモ", "Download CSV": "CSVをダウンロード",
    "Passcode": "パスコード", "Poster": "ポスター", "Rotate": "変更", "Needs a new passcode": "パスコード変更が必要",
    "Issue a new passcode": "新しいパスコードを発行",
})
