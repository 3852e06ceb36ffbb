<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>SpendingDialog</name>
    <message>
        <location filename="../vidu_desktop/ui/spending.py" line="+40"/>
        <source>Spending</source>
        <translation>花费</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Estimated today</source>
        <translation>今日估算</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Estimated this week</source>
        <translation>本周估算</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Estimated this month</source>
        <translation>本月估算</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Estimated from this app&apos;s jobs</source>
        <translation>根据本应用的任务估算</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Each job keeps the estimate it had when it was sent; a job counts once Novita accepted it. Estimates, not Novita&apos;s figures.</source>
        <translation>每个任务保留其发送时的估算费用；任务被 Novita 接受后才计入。这些是估算值，并非 Novita 的账单数字。</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+15"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+14"/>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Charged today</source>
        <translation>今日实际扣费</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Charged this month</source>
        <translation>本月实际扣费</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>About the charges</source>
        <translation>关于扣费</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Charged, from Novita&apos;s hourly bill</source>
        <translation>实际扣费（来自 Novita 的每小时账单）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read the estimates and Novita&apos;s bill again</source>
        <translation>重新读取估算费用和 Novita 账单</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>No monthly cap (Settings → Money).</source>
        <translation>未设置每月上限（设置 → 费用）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Monthly cap: {amount} (Generate refuses past it).</source>
        <translation>每月上限：{amount}（超出后将无法生成）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>≈ {amount} (estimate)</source>
        <translation>≈ {amount}（估算）</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n job(s) of this month from before the app kept estimates are not in these totals.</source>
        <translation>
            <numerusform>本月有 %n 个任务早于本应用开始记录估算费用，未计入以上合计。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Novita&apos;s bill has no charges this app can read</source>
        <translation>Novita 的账单中没有本应用能读取的扣费记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Novita&apos;s bill has no lines for this month yet</source>
        <translation>Novita 的账单中还没有本月的记录</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Image and video generation (gen_api), by the hour, as Novita bills it.</source>
        <translation>图片和视频生成（gen_api），按小时统计，与 Novita 的计费方式一致。</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n line(s) without an amount left out.</source>
        <translation>
            <numerusform>已略去 %n 条没有金额的记录。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Demo mode: pretend money.</source>
        <translation>演示模式：金额均为模拟。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>not available</source>
        <translation>不可用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Actual charges are not available ({why}). The estimates above still are.</source>
        <translation>无法获取实际扣费（{why}）。以上估算仍然可用。</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../vidu_desktop/core/errors.py" line="+141"/>
        <source>the connection dropped</source>
        <extracomment>Whether doing the same thing again later may work (reads only; never a blind re-submit). Where a Novita account is topped up (its billing page).</extracomment>
        <translation>连接中断了</translation>
    </message>
    <message>
        <location line="+109"/>
        <source>No API key was sent. Add your Novita API key in Settings.</source>
        <translation>未发送 API 密钥。请在“设置”中添加你的 Novita API 密钥。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Novita did not accept the API key. Check it in Settings (copy it again from novita.ai → Key Management).</source>
        <translation>Novita 未接受此 API 密钥。请在“设置”中检查（从 novita.ai → Key Management 重新复制）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your Novita account needs identity verification before it can use this API. Finish it on novita.ai, then press Retry.</source>
        <translation>你的 Novita 账户需要先完成实名认证才能使用此 API。请在 novita.ai 上完成认证，然后点击“重试”。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your Novita account may not use this API. Check your plan on novita.ai.</source>
        <translation>你的 Novita 账户无权使用此 API。请在 novita.ai 上查看你的套餐。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Novita refused the image as too large. Use a smaller image.</source>
        <translation>Novita 拒绝了该图片：文件太大。请使用更小的图片。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Novita refused the image format. Use a JPEG, PNG or WebP image.</source>
        <translation>Novita 不接受该图片格式。请使用 JPEG、PNG 或 WebP 图片。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Novita&apos;s content check refused the prompt. Reword it and try again.</source>
        <translation>提示词未通过 Novita 的内容审核。请修改措辞后重试。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Novita&apos;s content check refused the image. Try another image.</source>
        <translation>图片未通过 Novita 的内容审核。请换一张图片。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Novita does not know this job (unknown task id). It may belong to another account or have expired.</source>
        <translation>Novita 找不到此任务（未知的任务 ID）。它可能属于其他账户，或已过期。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Novita refused the API key or the account. Check the key in Settings.</source>
        <translation>Novita 拒绝了此 API 密钥或账户。请在“设置”中检查密钥。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your Novita balance is too low for this job, so it was not started and nothing was charged — top up at novita.ai ({url}), then press Retry.</source>
        <translation>你的 Novita 余额不足以完成此任务，因此任务未开始，也未扣费。请在 novita.ai 充值（{url}），然后点击“重试”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Novita refused a setting ({detail}). Change it and try again.</source>
        <translation>Novita 拒绝了某项设置（{detail}）。请修改后重试。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Novita refused a setting. Change it and try again.</source>
        <translation>Novita 拒绝了某项设置。请修改后重试。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Novita&apos;s content check refused this job. Try another prompt or image.</source>
        <translation>此任务未通过 Novita 的内容审核。请换一个提示词或图片。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Novita is limiting requests. Wait about {seconds} s, then try again.</source>
        <translation>Novita 正在限制请求频率。请等待约 {seconds} 秒后重试。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Novita is limiting requests. Wait a moment, then try again.</source>
        <translation>Novita 正在限制请求频率。请稍等片刻后重试。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Novita could not find what was asked for ({detail}).</source>
        <translation>Novita 找不到所请求的内容（{detail}）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Novita could not find what was asked for.</source>
        <translation>Novita 找不到所请求的内容。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The video link expired. Press Retry to fetch a fresh one.</source>
        <translation>视频链接已过期。点击“重试”获取新链接。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Novita had a problem on its side ({detail}). Try again in a few minutes.</source>
        <translation>Novita 服务端出现问题（{detail}）。请几分钟后重试。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Novita had a problem on its side. Try again in a few minutes.</source>
        <translation>Novita 服务端出现问题。请几分钟后重试。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Novita did not answer in time (a slow or stuck connection). Try again in a few minutes.</source>
        <translation>Novita 未能及时响应（连接缓慢或卡住）。请几分钟后重试。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not reach Novita. Check your internet connection, then press Retry.</source>
        <translation>无法连接到 Novita。请检查网络连接，然后点击“重试”。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Novita answered something unexpected. Try again in a few minutes.</source>
        <translation>Novita 返回了意外的响应。请几分钟后重试。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The job was sent, but {cause}, so it may or may not have started (and been charged). Check your Novita dashboard before retrying.</source>
        <translation>任务已发送，但{cause}，因此无法确定任务是否已开始（以及是否已扣费）。重试前请先查看你的 Novita 控制台。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Novita could not make this video: {reason}.</source>
        <translation>Novita 无法生成此视频：{reason}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Novita could not make this video: no reason given.</source>
        <translation>Novita 无法生成此视频：未提供原因。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The download was stopped because it was too slow ({detail}). What arrived is kept: Retry resumes from there.</source>
        <translation>下载速度过慢，已停止（{detail}）。已下载的部分会保留：点击“重试”将从中断处继续。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The download was stopped: {detail}. A video from Novita is never that big; try again later, and tell Novita support if it happens again.</source>
        <translation>下载已停止：{detail}。Novita 的视频不会这么大；请稍后重试，如果再次出现，请联系 Novita 客服。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The video could not be downloaded completely. Press Retry.</source>
        <translation>视频未能完整下载。请点击“重试”。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopped because the app was closing.</source>
        <translation>应用正在关闭，已停止。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The video could not be saved: {detail}. Free some space or choose another library folder in Settings, then press Retry.</source>
        <translation>无法保存视频：{detail}。请释放一些磁盘空间，或在“设置”中选择其他视频库文件夹，然后点击“重试”。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A file could not be read or written: {detail}.</source>
        <translation>无法读取或写入文件：{detail}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Something went wrong. The details are in the log (Help → Open log folder).</source>
        <translation>出错了。详细信息见日志（帮助 → 打开日志文件夹）。</translation>
    </message>
</context>
</TS>
