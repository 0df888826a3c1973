"""Japanese for the provider pages (webapp/provider, webapp/templates/provider). Merged into
webapp/translations/ja/LC_MESSAGES/messages.po by tools/update_translations.py."""

JA = {
    # forms and flashes
    "Coupons to give back": "戻す枚数",
    "Reason for the correction": "訂正の理由",
    "I understand that the current poster, QR code and passcode stop working at once":
        "今のポスター・QRコード・パスコードがすぐに使えなくなることを理解しました",
    "%(amount)s yen": "%(amount)s円",
    "Corrected: %(num)d coupons given back (%(time)s). Reason: %(reason)s":
        "訂正済み：%(num)d枚を戻しました（%(time)s）。理由：%(reason)s",
    "Correct this use": "訂正する",
    "Contact the city": "市へ問い合わせ",
    "%(num)d coupons, %(amount)s": "%(num)d枚・%(amount)s",
    "Updated at %(time)s": "%(time)s 更新",
    "The correction was saved: %(num)d coupons went back to the family's coupons.":
        "訂正を保存しました。%(num)d枚がご家庭のクーポンに戻りました。",
    "A new passcode and QR code were issued. Print the new poster and replace the old one: the old QR code and "
    "passcode no longer work.":
        "新しいパスコードとQRコードを発行しました。新しいポスターを印刷して貼り替えてください。"
        "以前のQRコードとパスコードはもう使えません。",
    "The month must be written as YYYY-MM, for example 2026-11.": "年月は 2026-11 のように「年-月」で指定してください。",
    # navigation and lists
    "Provider menu": "提供者メニュー",
    "Redemptions": "利用状況",
    "Poster and passcode": "ポスター・パスコード",
    "Monthly settlement": "月次精算",
    "Amount": "金額",
    "Coupon ref. / receipt": "識別番号・受付番号",
    "Correction": "訂正",
    "Coupon redemptions": "クーポン利用状況",
    "Matsumoto child-rearing support coupons: provider": "松本市 子育て支援クーポン 提供者ページ",
    "Could not update. The list will try again; you can also reload the page.":
        "更新できませんでした。自動で再試行します。ページを再読み込みすることもできます。",
    "Change your passcode.": "パスコードを変更してください。",
    "Many wrong passcodes were tried: yours may have been guessed. Issue a new passcode and QR code and put up "
    "the new poster.":
        "誤ったパスコードの入力が多数ありました。パスコードが推測された可能性があります。"
        "新しいパスコードとQRコードを発行し、新しいポスターを貼ってください。",
    "Issue a new passcode": "新しいパスコードを発行する",
    "Today": "今日",
    "No coupons have been used here today.": "今日はまだクーポンの利用がありません。",
    "The last 7 days": "過去7日間",
    "No coupons were used here in the last 7 days.": "過去7日間のクーポンの利用はありません。",
    "This list updates itself every %(seconds)d seconds.": "この一覧は%(seconds)d秒ごとに自動で更新されます。",
    "Reload now": "今すぐ再読み込み",
    "Wrong count?": "枚数を間違えたときは",
    "A use can be corrected once, within 24 hours: choose “Correct this use” in its row, enter how many coupons "
    "to give back and why. The coupons go back to the family. After 24 hours, call the city department in charge.":
        "利用から24時間以内に1回だけ訂正できます。その行の「訂正する」を選び、戻す枚数と理由を入力してください。"
        "クーポンはご家庭に戻ります。24時間を過ぎたら、市の担当課へお電話ください。",
    "The coupon ref. identifies a child’s coupons without naming the family; the receipt number identifies one "
    "use when you talk to the city.":
        "識別番号は、ご家庭の名前を出さずにお子さまのクーポンを表す番号です。受付番号は、市へ問い合わせるときに"
        "1回の利用を特定する番号です。",
    # corrections
    "Correct a use of coupons": "クーポン利用の訂正",
    "%(num)d coupons given back on %(time)s. Reason: %(reason)s": "%(time)s に%(num)d枚を戻しました。理由：%(reason)s",
    "Call the department in charge": "担当課へお電話ください",
    "Enter how many of these coupons to give back to the family (all of them, or some) and why. A use can be "
    "corrected only once, within 24 hours.":
        "ご家庭に戻すクーポンの枚数（全部または一部）と理由を入力してください。訂正は1回の利用につき1度だけ、"
        "利用から24時間以内にできます。",
    "From 1 to %(max)d.": "1〜%(max)d枚。",
    "For example: the family used 3 coupons but the visit cost 2.": "例：3枚使われたが、利用分は2枚だった。",
    "Save the correction": "訂正を保存する",
    "Back to the redemptions": "利用状況に戻る",
    # account not linked
    "Account not linked to a provider": "提供者と連携されていないアカウントです",
    "This provider account is not linked to a coupon provider yet. Ask the city’s coupon office to link it, then "
    "reload this page.":
        "この提供者アカウントは、まだクーポン提供者と連携されていません。市のクーポン担当に連携を依頼し、"
        "このページを再読み込みしてください。",
    # poster and passcode
    "Print this poster and put it up where families pay. Families scan the QR code with their phone’s camera, or "
    "type the passcode.":
        "このポスターを印刷し、お支払いの場所に貼ってください。ご家庭はスマートフォンのカメラでQRコードを読み取るか、"
        "パスコードを入力します。",
    "Print": "印刷する",
    "Download the poster (SVG)": "ポスターをダウンロード（SVG）",
    "Poster": "ポスター",
    "QR code for using coupons here": "この施設でクーポンを使うためのQRコード",
    "Issue a new passcode and QR code": "新しいパスコードとQRコードの発行",
    "Do this when the passcode may be known to people who should not have it, or when the system asks you to. "
    "The current poster stops working at once: families who scan it or type the old passcode are refused. Print "
    "the new poster straight away.":
        "パスコードが関係のない人に知られたおそれがあるときや、システムから変更を求められたときに行ってください。"
        "今のポスターはすぐに使えなくなり、読み取っても古いパスコードを入力しても利用できません。"
        "すぐに新しいポスターを印刷してください。",
    "Passcode issued: %(time)s": "パスコード発行日時：%(time)s",
    "Wrong passcodes one digit away from yours in the last 24 hours: %(num)d":
        "過去24時間に、このパスコードと1桁だけ違うパスコードが入力された回数：%(num)d回",
    # settlement
    "The month is not valid": "年月の指定が正しくありません",
    "Show this month’s settlement": "今月の精算を表示する",
    "Settlement statement for %(month)s": "%(month)s 精算明細",
    "Month": "年月",
    "Coupons used at %(provider)s in %(month)s, by service (Japan time)":
        "%(provider)sでの%(month)sのクーポン利用（事業別・日本時間）",
    "Coupons redeemed": "利用枚数",
    "Coupons corrected": "訂正枚数",
    "Net coupons": "差引枚数",
    "Total": "合計",
    "Download CSV": "CSVをダウンロード",
    "How this statement is counted": "集計のしかた",
    "Uses count in the month of their date and time in Japan.": "利用は、日本時間の利用日時の月に計上します。",
    "A correction counts in the month of the use it corrects, even when it is made on the first day of the next "
    "month.":
        "訂正は、訂正した日ではなく、訂正の対象となった利用の月に計上します（翌月1日に行った訂正も前月分です）。",
    "Amount = net coupons × the face value of the coupon (the programme of each child’s coupons).":
        "金額＝差引枚数×クーポンの額面（お子さまのクーポンの事業年度の額面）。",
    "These figures are final.": "この金額は確定しています。",
    "These figures are final from %(time)s, when the 24 hours for corrections of this month’s last uses have "
    "passed.":
        "この月の最後の利用の訂正期限（24時間）が過ぎる %(time)s に確定します。",
}
