"""Japanese translations, kept as a table and written into webapp/translations/ja/LC_MESSAGES/messages.po
by `make translations-update` (tools/update_translations.py). Add a line here for every new msgid."""

JA = {
    # domain / validation
    "A facility ID is required.": "施設IDを入力してください。",
    "The facility ID may use letters, digits, '-', '_' and '.' (40 at most).": "施設IDは英数字と「-」「_」「.」で40文字以内にしてください。",
    "The name is required.": "名称を入力してください。",
    "This is too long.": "長すぎます。",
    "The reading must be written in kana.": "よみがなはカタカナ（またはひらがな）で入力してください。",
    "Unknown programme.": "事業の指定が正しくありません。",
    "Unknown status.": "状態の指定が正しくありません。",
    "Unknown category.": "業種が正しくありません。",
    "The municipality is required.": "市区町村を入力してください。",
    "Unknown municipality.": "市区町村が見つかりません。",
    "Facilities in Yokohama register with Yokohama's own programme, Hamahug (ハマハグ), not with the Kanagawa passport.":
        "横浜市内の施設は、かながわ子育て応援パスポートではなく横浜市の「ハマハグ」にご登録ください。",
    "Only facilities in Kanagawa can join the passport programme.": "パスポートの協力施設は神奈川県内の施設に限ります。",
    "Enter a Japanese telephone number, for example 0466-12-3456.": "電話番号を 0466-12-3456 のように入力してください。",
    "Enter a web address starting with http:// or https://.": "http:// または https:// で始まるURLを入力してください。",
    "The coordinates must be a latitude and longitude in Japan.": "緯度・経度は日本国内の値を入力してください。",
    "Write the open days as weekdays, for example 月火水木金.": "利用可能曜日は「月火水木金」のように入力してください。",
    "Write the hours as HH:MM, for example 09:30.": "時刻は 09:30 のように入力してください。",
    "Write the date as YYYY-MM-DD.": "日付は 2026-04-01 のように入力してください。",
    "Unknown benefit kind.": "特典の種類が正しくありません。",
    "Unknown amenity.": "設備の指定が正しくありません。",
    "Unknown coupon service.": "クーポン対象事業の指定が正しくありません。",
    "The file is larger than 20 MB; split it into smaller files.": "ファイルが20MBを超えています。分割してください。",
    "Unsupported encoding: save the file as UTF-8 or Shift_JIS (CP932).": "文字コードに対応していません。UTF-8 または Shift_JIS（CP932）で保存してください。",
    "The header row (line 1) lacks the required columns: ": "見出し行（1行目）に必須の列がありません: ",
    "The file has more than 100,000 rows; split it into smaller files.": "10万行を超えています。ファイルを分割してください。",
    "The file is not valid CSV: ": "CSVとして読み取れません: ",
    # search parameters
    "Must be a whole number.": "整数で指定してください。",
    "Out of range.": "範囲外の値です。",
    "Must be a number.": "数値で指定してください。",
    "The search words are too long.": "検索語が長すぎます。",
    "The search words contain invalid characters.": "検索語に使えない文字が含まれています。",
    "Unknown value.": "指定が正しくありません。",
    "Give both lat and lon.": "緯度と経度を両方指定してください。",
    "Unknown sort order.": "並び順の指定が正しくありません。",
    "Sorting by distance needs your location or a chosen area.": "近い順に並べるには、現在地の利用を許可するか地域を選んでください。",
    # facets and labels
    "Programme": "事業", "Category": "業種", "Benefit": "特典", "Amenities": "設備", "Area": "地域",
    "Coupon service": "クーポン対象事業", "Open now": "営業中", "Passport facilities": "パスポート協力施設",
    "Coupon services": "子育て支援クーポン", "Savings": "お得", "Care": "こころ配り", "Facilities": "設備",
    "Every day": "毎日",
    # layout
    "Kosodate Portal": "こそだてポータル",
    "Find partner facilities of the Kanagawa child-rearing support passport and the Matsumoto child-rearing support coupon services.":
        "かながわ子育て応援パスポートの協力施設と、松本市子育て支援クーポンの対象事業を探せます。",
    "Skip to content": "本文へ移動", "Language": "言語", "Site": "サイト", "Search facilities": "施設をさがす",
    "Matsumoto coupon services": "松本市子育て支援クーポン",
    "Facility information is provided by each facility. Check details with the facility before you go.":
        "施設情報は各施設からの届出によるものです。お出かけ前に施設へご確認ください。",
    "Page not found": "ページが見つかりません",
    "The page may have moved, or the facility may no longer be a partner.": "ページが移動したか、協力施設の登録が終了した可能性があります。",
    "Something went wrong": "エラーが発生しました", "What you sent is too large": "送信された内容が大きすぎます",
    "Search is being prepared": "検索の準備中です", "Please try again in a moment.": "しばらくしてからもう一度お試しください。",
    "Back to the top page": "トップページへ戻る", "%(km)s km": "%(km)s km", "Benefits": "特典", "Choose": "選ぶ",
    "Pages": "ページ", "Previous": "前へ", "Page %(page)d of %(last)d": "%(page)d / %(last)d ページ", "Next": "次へ",
    "Search words": "検索語", "e.g. nursing room, café, station name": "例：授乳室、カフェ、駅名", "Search": "検索",
    "Back to results": "検索結果へ戻る", "Matsumoto coupon": "松本市クーポン", "Closed now": "営業時間外",
    "Passport benefits": "パスポート提示で受けられるサービス",
    "Show your passport before you pay. Conditions may change; check with the facility.":
        "お会計の前にパスポートをご提示ください。内容は変わることがあります。詳しくは施設にご確認ください。",
    "Information": "施設情報", "Address": "住所", "Open in a map": "地図で開く", "Hours": "営業時間", "Phone": "電話番号",
    "Website": "ウェブサイト", "Notes": "備考", "Registered until": "登録の有効期限",
    "Find child-friendly places": "子どもと行けるお店・施設をさがす",
    "Partner facilities of the Kanagawa child-rearing support passport, and the Matsumoto child-rearing support coupon services.":
        "かながわ子育て応援パスポートの協力施設と、松本市子育て支援クーポンの対象事業を探せます。",
    "By category": "業種からさがす", "By amenity": "設備からさがす", "By area": "地域からさがす", "Municipality": "市区町村",
    "Show": "表示",
    "Yokohama has its own programme, Hamahug (ハマハグ); its facilities are not listed here.":
        "横浜市には独自の「ハマハグ」があるため、横浜市内の施設はここには掲載していません。",
    "Matsumoto child-rearing support coupons": "松本市 子育て支援クーポン",
    "Where to use and ask about the eight coupon services in Matsumoto.": "8つの対象事業の利用先・問い合わせ先を確認できます。",
    "Coupon services and providers": "対象事業と提供者を見る",
    "“%(q)s” — search results": "「%(q)s」の検索結果", "Search results": "検索結果",
    "%(num)d place": "%(num)d件", "No places found": "見つかりませんでした", "Sort": "並び順", "Best match": "関連度順",
    "Japanese syllabary order": "五十音順", "Newest": "新着順", "Nearest": "近い順", "Apply": "適用",
    "Your location could not be used. Choose an area instead.": "現在地を取得できませんでした。地域を選んでください。",
    "Sort by distance from where I am": "現在地から近い順に並べる", "Active filters": "絞り込み中の条件",
    "Remove filter: %(name)s": "条件を外す: %(name)s", "Filter": "絞り込み", "Amenities (all of)": "設備（すべてあり）",
    "Apply filters": "この条件で絞り込む", "Clear filters": "条件をクリア", "Nothing matched": "該当する施設がありません",
    "These changes would find places:": "次のように変えると見つかります：",
    "Search only for “%(word)s”": "「%(word)s」だけで検索", "Include places that are closed now": "営業時間外の施設も含める",
    "Remove the “%(facet)s” filter": "「%(facet)s」の条件を外す",
    "Try fewer or shorter words: part of a name is enough (for example “授乳” finds “授乳室”).":
        "検索語を減らすか短くしてみてください。名前の一部だけでも探せます（例：「授乳」で「授乳室」）。",
    "Matches:": "一致:",
    "Hiragana, katakana and half-width characters all work.": "ひらがな・カタカナ・半角文字のどれでも検索できます。",
    "The coupons can be used for these eight services. Each service needs its own registration or application; ask the contacts below.":
        "クーポンは次の8つの事業で使えます。利用には事業ごとの登録や申請が必要です。各問い合わせ先にご確認ください。",
}

JA.update({
    # accounts: addresses and forms
    "Enter your e-mail address.": "メールアドレスを入力してください。",
    "This e-mail address is too long.": "メールアドレスが長すぎます。",
    "Enter an e-mail address like taro@example.jp.": "taro@example.jp のような形のメールアドレスを入力してください。",
    "Use an address whose domain is written in ASCII letters.": "＠より後ろが半角英数字のメールアドレスを使ってください。",
    "Check the domain: did you mean %(domain)s?": "＠より後ろをご確認ください。%(domain)s ではありませんか？",
    "Write the reading in hiragana or katakana.": "ふりがなは、ひらがなかカタカナで入力してください。",
    "E-mail address": "メールアドレス",
    "I agree to the terms of use and the handling of personal information": "利用規約と個人情報の取り扱いに同意します",
    "Please agree to the terms to continue.": "続けるには規約への同意が必要です。",
    "Your name": "お名前", "Enter your name.": "お名前を入力してください。", "Reading (kana)": "ふりがな",
    "Enter the reading.": "ふりがなを入力してください。", "Municipality of residence": "お住まいの市区町村",
    "Choose your municipality.": "市区町村を選んでください。", "Password (8 characters or more)": "パスワード（8文字以上）",
    "Choose a password.": "パスワードを決めて入力してください。", "Child's name (or a nickname)": "お子さまのお名前（愛称でも可）",
    "Birth date": "生年月日", "Or, for a pregnancy: expected due date": "妊娠中の方は出産予定日",
    "Password": "パスワード", "Enter your password.": "パスワードを入力してください。",
    "Keep me logged in on this device": "この端末でログインしたままにする",
    "New password (8 characters or more)": "新しいパスワード（8文字以上）", "Current password": "現在のパスワード",
    "New e-mail address": "新しいメールアドレス",
    "I understand that my account and my children's data will be erased": "アカウントとお子さまの情報が消去されることを理解しました",
    "Tick the box to confirm.": "確認のためチェックを入れてください。",
    "The passport is for families expecting a baby or with children up to the end of elementary school.":
        "パスポートは、妊娠中の方か小学生以下のお子さんがいるご家庭が対象です。",
    "This e-mail address is already registered. Log in instead.": "このメールアドレスは登録済みです。ログインしてください。",
    "Use at least 8 characters.": "8文字以上にしてください。", "Use at most 128 characters.": "128文字以内にしてください。",
    "This password is too common. Choose one that is harder to guess.": "よく使われるパスワードです。推測されにくいものにしてください。",
    "Do not use your e-mail address as the password.": "メールアドレスをパスワードにしないでください。",
    "[Kosodate Portal] You already have an account": "【こそだてポータル】すでに登録済みです",
    "[Kosodate Portal] Confirm your e-mail address": "【こそだてポータル】メールアドレスの確認",
    "We sent the mail again. It may take a few minutes to arrive.": "メールを再送しました。届くまで数分かかることがあります。",
    "Registration complete. This is your passport.": "登録が完了しました。こちらがあなたのパスポートです。",
    "The e-mail address or the password is not correct.": "メールアドレスかパスワードが正しくありません。",
    "[Kosodate Portal] Reset your password": "【こそだてポータル】パスワードの再設定",
    "Your password has been changed. Log in with the new password.": "パスワードを変更しました。新しいパスワードでログインしてください。",
    "Saved.": "保存しました。", "Removed.": "削除しました。", "The password is not correct.": "パスワードが正しくありません。",
    "Your password has been changed. Other devices have been logged out.": "パスワードを変更しました。ほかの端末はログアウトされました。",
    "This e-mail address is already registered.": "このメールアドレスは登録済みです。",
    "[Kosodate Portal] Confirm your new e-mail address": "【こそだてポータル】新しいメールアドレスの確認",
    "[Kosodate Portal] Your e-mail address was changed": "【こそだてポータル】メールアドレスが変更されました",
    "Your e-mail address has been changed.": "メールアドレスを変更しました。",
    "[Kosodate Portal] Your account has been deleted": "【こそだてポータル】アカウントを削除しました",
    "Please log in to see this page.": "このページを見るにはログインしてください。",
    "For your security, please log in again.": "安全のため、もう一度ログインしてください。",
    # coupon domain (issue 4 core)
    "Coupons are for children born on or after %(programme_start)s.": "クーポンは%(programme_start)s以降に生まれたお子さまが対象です。",
    "The birth date cannot be in the future.": "生年月日に未来の日付は入力できません。",
    "This serial code has already been used.": "このシリアルコードはすでに使われています。",
    "This child already has a coupon set. Each child receives one set.": "このお子さまはクーポンを受け取り済みです。お子さま1人につき1セットです。",
    "These coupons belong to another child. Siblings cannot share coupons.": "このクーポンは別のお子さまのものです。兄弟姉妹間での共有はできません。",
    "This provider does not offer the service of this coupon.": "この提供者では、このクーポンの事業は利用できません。",
    "This coupon expired on %(valid_until)s.": "このクーポンは%(valid_until)sで有効期限が切れています。",
    "Choose how many coupons to use: at least one.": "使う枚数を1枚以上で選んでください。",
    "No coupons are left in this set.": "このクーポンは残りがありません。",
    "Only %(remaining)d coupons are left. Pay the rest of the bill another way.": "残りは%(remaining)d枚です。不足分は現金など別の方法でお支払いください。",
    "Only a use of coupons can be corrected.": "訂正できるのはクーポンの利用記録だけです。",
    "This use has already been corrected once and cannot be corrected again.": "この利用はすでに訂正済みのため、再度の訂正はできません。",
    "Corrections are possible only within %(hours)d hours of the use. Please call the department in charge.":
        "訂正は利用から%(hours)d時間以内に限ります。担当課へお電話ください。",
    "Give back between 1 and %(max)d coupons.": "戻す枚数は1〜%(max)d枚で指定してください。",
    "Enter the reason for the correction.": "訂正の理由を入力してください。",
    "This form was already sent with other values. Start again.": "このフォームは別の内容で送信済みです。最初からやり直してください。",
    "The serial code is too long.": "シリアルコードが長すぎます。", "Enter the serial code.": "シリアルコードを入力してください。",
    "Serial codes never contain 0, O, 1, I or L. Check the code again.": "シリアルコードに 0・O・1・I・L は使われていません。もう一度ご確認ください。",
    "The serial code may only contain letters, digits and hyphens.": "シリアルコードは英数字とハイフンだけで入力してください。",
    "The serial code is incomplete.": "シリアルコードの桁数が足りません。",
    "The serial code has a typo.": "シリアルコードに入力まちがいがあります。",
    # passport rules
    "Enter either the birth date or, for a pregnancy, the due date.": "生年月日か、妊娠中の場合は出産予定日のどちらかを入力してください。",
    "Check the birth date.": "生年月日をご確認ください。",
    "Enter the expected due date (within the next ten months).": "出産予定日（今日から10か月以内）を入力してください。",
    # form chrome
    "The form expired. Please send it again.": "フォームの有効期限が切れました。もう一度送信してください。",
    "Please check the fields marked below.": "下の項目をご確認ください。",
    "My page": "マイページ", "Log in": "ログイン", "Register for the passport": "パスポートに登録する", "Account": "アカウント",
    "Show my passport": "パスポートを表示", "Children": "お子さま", "(no name)": "（名前なし）", "Born %(date)s": "%(date)s生まれ",
    "Due %(date)s": "%(date)s出産予定", "Change": "変更", "Remove": "削除", "Add a child (or a pregnancy)": "お子さま（または妊娠）を追加",
    "Settings": "設定", "Change the e-mail address": "メールアドレスの変更", "Change the password": "パスワードの変更",
    "Delete the account": "アカウントの削除", "Log out": "ログアウト", "Change a child": "お子さまの情報を変更",
    "Add a child": "お子さまを追加", "Save": "保存", "Back": "戻る",
    "Your account, your passport and your children's names and birth dates are erased at once and cannot be restored.":
        "アカウント、パスポート、お子さまのお名前と生年月日はすぐに消去され、元に戻せません。",
    "What we must keep: records of coupons already used (date, provider, service, count) stay for the city’s audit and settlement, without your name or address; a used coupon serial code stays used and cannot be claimed again. The record of your consent to the terms is kept as evidence, without a link to your account.":
        "残す情報：利用済みクーポンの記録（日時・提供者・事業・枚数）は市の監査と精算のため、お名前や住所を除いて保存します。使用済みのシリアルコードは使用済みのままで、再び受け取ることはできません。規約への同意記録は、アカウントとのつながりを外して証跡として保存します。",
    "Account deleted": "アカウントを削除しました",
    "Your account and your personal data have been erased. Thank you for using the passport.": "アカウントと個人情報を消去しました。ご利用ありがとうございました。",
    "Your details": "登録情報の入力", "Steps": "手順", "Confirm the mail": "メールの確認", "In hiragana or katakana.": "ひらがなかカタカナで入力してください。",
    "Yokohama residents can register too.": "横浜市にお住まいの方も登録できます。",
    "At least 8 characters. A long phrase is best; you may paste it from a password manager.":
        "8文字以上。長い文にすると安全です。パスワード管理アプリからの貼り付けもできます。",
    "Your child": "お子さま", "You can add more children later from your account page.": "お子さまは後からアカウントページで追加できます。",
    "Register": "登録する", "We send a link to the new address; the change takes effect when you open it.":
        "新しいアドレスに確認用のリンクを送ります。リンクを開くと変更が完了します。",
    "Send the confirmation mail": "確認メールを送る", "Confirm the new e-mail address": "新しいメールアドレスの確認",
    "Use %(email)s as the address of your account?": "%(email)s をアカウントのメールアドレスにしますか？", "Confirm": "確定",
    "Check your mail": "メールをご確認ください",
    "We sent a link to %(email)s. Your address changes when you open it (within 24 hours).":
        "%(email)s にリンクを送りました。24時間以内にリンクを開くとアドレスが変わります。",
    "Reset your password": "パスワードの再設定",
    "Enter the e-mail address you registered. We send a link to set a new password; it works once, for 30 minutes.":
        "登録したメールアドレスを入力してください。新しいパスワードを設定するリンクを送ります（30分以内に1回だけ使えます）。",
    "Send the link": "リンクを送る",
    "If the address is registered, a mail with a link to set a new password is on its way. The link works once, for 30 minutes.":
        "登録済みのアドレスであれば、パスワード再設定用のリンクをお送りしました。リンクは30分以内に1回だけ使えます。",
    "No mail after a few minutes? Look in your spam folder, or check the address you entered.":
        "数分たっても届かない場合は、迷惑メールフォルダや入力したアドレスをご確認ください。",
    "This link cannot be used": "このリンクは使えません", "This link has expired": "このリンクは有効期限が切れています",
    "This link has already been used": "このリンクは使用済みです",
    "Your registration may already be complete. Try logging in.": "登録はすでに完了しているかもしれません。ログインしてみてください。",
    "Links in the confirmation mail work once, for 24 hours. You can ask for a new mail.":
        "確認メールのリンクは24時間以内に1回だけ使えます。メールはもう一度受け取れます。",
    "Register again": "もう一度登録する",
    "Password reset links work once, for 30 minutes. You can ask for a new one.": "再設定のリンクは30分以内に1回だけ使えます。新しいリンクを受け取れます。",
    "Send a new link": "新しいリンクを送る", "Ask for the change again from your account page.": "アカウントページからもう一度お手続きください。",
    "Logged out": "ログアウトしました", "You have been logged out on every device.": "すべての端末でログアウトしました。",
    "Forgot your password?": "パスワードを忘れた方", "New here?": "はじめての方", "Choose a new password": "新しいパスワードの設定",
    "Save the new password": "新しいパスワードを保存",
    "The Kanagawa child-rearing support passport is for families living in Kanagawa who are expecting a baby or have children up to the end of elementary school.":
        "かながわ子育て応援パスポートは、神奈川県にお住まいで、妊娠中の方か小学生以下のお子さんがいるご家庭が対象です。",
    "We send a confirmation link to this address. If you filter mail, allow mail from %(domain)s.":
        "このアドレスに確認用のリンクを送ります。受信設定をしている方は %(domain)s からのメールを受け取れるようにしてください。",
    "How we use your information": "個人情報の利用目的",
    "Your name, address area and e-mail: to issue your passport and to contact you about your account.":
        "お名前・お住まいの市区町村・メールアドレス：パスポートの発行と、アカウントに関するご連絡に使います。",
    "Your children's names and birth dates (or the due date): to decide eligibility and the passport's validity. Facilities see only your initials and whether the passport is valid.":
        "お子さまのお名前と生年月日（または出産予定日）：対象かどうかとパスポートの有効期限の判断に使います。施設に見えるのはイニシャルと有効かどうかだけです。",
    "We keep only what the programmes need and erase it when you delete your account.": "必要な情報だけを保存し、アカウントを削除すると消去します。",
    "Already registered?": "登録済みの方", "If the address can be registered, we have sent a mail with a link. Open the link within 24 hours to continue.":
        "登録できるアドレスであれば、リンク付きのメールをお送りしました。24時間以内にリンクを開いて続けてください。",
    "Look in your spam or junk folder.": "迷惑メールフォルダをご確認ください。",
    "Mobile carrier addresses: allow mail from %(domain)s in your domain filter settings.":
        "携帯電話会社のアドレスの方は、ドメイン指定受信で %(domain)s を受信できるようにしてください。",
    "Check that the address is spelled correctly; if not, register again with the right one.": "アドレスのつづりをご確認ください。まちがっていた場合は正しいアドレスで登録し直してください。",
    "Send the mail again": "メールを再送する", "Send again": "再送する",
    "You cannot open this page": "このページは開けません", "Too many attempts": "試行回数が多すぎます",
    "The request could not be understood": "リクエストを処理できませんでした",
    "Your account does not have access to this page.": "このアカウントではこのページを利用できません。",
    "For your security, please wait a while before trying again.": "安全のため、しばらく時間をおいてからお試しください。",
    "If you were sending a form, go back, reload the page and send it again.": "フォームを送信していた場合は、前の画面に戻って再読み込みしてから、もう一度送信してください。",
    # passport
    "My passport": "わたしのパスポート", "No connection: this is the card as last checked.": "オフラインです。最後に確認した時点のパスポートを表示しています。",
    "Kanagawa child-rearing support passport": "かながわ子育て応援パスポート", "Passport number": "パスポート番号",
    "%(num)d child": "%(num)d人", "Valid until": "有効期限", "Expired": "有効期限切れ",
    "The passport is for families expecting a baby or with children up to the end of elementary school. If you are expecting or have had a baby, add the child to renew the passport at once.":
        "パスポートは、妊娠中の方か小学生以下のお子さんがいるご家庭が対象です。妊娠・出産された場合は、お子さまを追加するとすぐに有効になります。",
    "Valid": "有効", "For the facility": "施設の方へ",
    "Staff can scan this code with their own phone's camera to check the passport (valid for %(minutes)d minutes; it shows only your initials).":
        "施設のスタッフがご自身のスマートフォンのカメラでこのコードを読み取ると、パスポートを確認できます（%(minutes)d分間有効・表示されるのはイニシャルだけです）。",
    "Verification QR code": "確認用QRコード", "Last checked: %(time)s": "最終確認：%(time)s", "Passport check": "パスポートの確認",
    "Holder: %(initials)s": "お名前：%(initials)s", "Valid until %(date)s": "%(date)sまで有効", "Checked at %(time)s": "%(time)sに確認",
    "This code is out of date": "このコードは期限切れです",
    "Ask the holder to open the passport again (with a connection) and show the new code.": "通信できる状態でパスポートを開き直し、新しいコードを見せてもらってください。",
    "Not a valid passport code": "パスポートのコードではありません",
    # mails
    "Someone (probably you) tried to register with this e-mail address, but it already has an account.":
        "このメールアドレスで登録の申し込みがありましたが、このアドレスはすでに登録済みです。",
    "Log in:": "ログイン：",
    "If it was not you, ignore this mail; nothing has changed.": "お心当たりがない場合は、このメールを破棄してください。何も変更されていません。",
    "Your Kosodate Portal account has been deleted and your personal data erased.": "こそだてポータルのアカウントを削除し、個人情報を消去しました。",
    "Open this link within 24 hours to make this the e-mail address of your Kosodate Portal account:":
        "24時間以内に次のリンクを開くと、このアドレスがこそだてポータルのメールアドレスになります：",
    "If you did not ask for this, ignore this mail.": "お心当たりがない場合は、このメールを破棄してください。",
    "The e-mail address of your Kosodate Portal account was changed to %(new)s.": "こそだてポータルのメールアドレスが %(new)s に変更されました。",
    "If you did not do this, contact us at once.": "お心当たりがない場合は、すぐにお問い合わせください。",
    "We received a request to reset your password.": "パスワード再設定のお申し込みを受け付けました。",
    "Open this link within 30 minutes to choose a new password (it works once):": "30分以内に次のリンクを開いて新しいパスワードを設定してください（1回だけ使えます）：",
    "If you did not ask for this, ignore this mail; your password stays as it is.": "お心当たりがない場合は、このメールを破棄してください。パスワードは変わりません。",
    "Thank you for registering for the Kanagawa child-rearing support passport.": "かながわ子育て応援パスポートへのお申し込みありがとうございます。",
    "Open this link within 24 hours to enter your details:": "24時間以内に次のリンクを開き、登録情報を入力してください：",
    "If you did not register, ignore this mail; nothing will happen.": "お心当たりがない場合は、このメールを破棄してください。登録は行われません。",
})

# Family profile: name, reading, municipality and the optional phone number (for the support center).
JA.update({
    "Phone number (optional)": "電話番号（任意）",
    "Phone number": "電話番号",
    "So the support center can find your registration when you call. You may leave it empty.":
        "お問い合わせの際に、サポートセンターがご登録を確認するために使います。空欄でもかまいません。",
    "Registered details": "登録情報",
    "(not given)": "（未登録）",
    "Change your details": "登録情報を変更する",
    "Your details were saved.": "登録情報を保存しました。",
    "Back to the account page": "アカウントのページに戻る",
})

# Suspending accounts (programme office).
JA.update({
    "This account has been suspended. Please contact the programme office.":
        "このアカウントは利用停止中です。事務局にお問い合わせください。",
    "You cannot suspend your own account.": "自分のアカウントは利用停止にできません。",
    "%(email)s can log in again.": "%(email)s は再びログインできるようになりました。",
    "%(email)s is suspended and logged out everywhere.": "%(email)s を利用停止にし、すべての端末でログアウトさせました。",
    "Access": "利用",
    "Suspended": "利用停止中",
    "Suspend": "利用停止",
    "Restore": "利用再開",
    "Suspend %(email)s": "%(email)s を利用停止にする",
    "Restore %(email)s": "%(email)s の利用を再開する",
})

# A query typed as a phrase, retried with its content words.
JA.update({
    "Nothing matched “%(typed)s” as written, so these places match all of: %(words)s.":
        "「%(typed)s」そのままでは見つからなかったため、%(words)s をすべて含む施設を表示しています。",
})
JA.update({", ": "、", "“%(word)s”": "「%(word)s」"})
