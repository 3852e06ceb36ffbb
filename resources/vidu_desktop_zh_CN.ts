<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>FrameGrabber</name>
    <message>
        <source>the file “{name}” was not found</source>
        <translation>找不到文件“{name}”</translation>
    </message>
    <message>
        <source>Qt Multimedia is missing on this system</source>
        <translation>此系统缺少 Qt Multimedia</translation>
    </message>
    <message>
        <source>Qt Multimedia has no working media backend on this system</source>
        <translation>此系统上的 Qt Multimedia 没有可用的媒体后端</translation>
    </message>
    <message>
        <source>it has no video track</source>
        <translation>它没有视频轨道</translation>
    </message>
    <message>
        <source>it is not a video that can be read</source>
        <translation>它不是可读取的视频</translation>
    </message>
    <message>
        <source>it could not be read</source>
        <translation>无法读取它</translation>
    </message>
    <message>
        <source>no picture came out of it within {seconds} s</source>
        <translation>{seconds} 秒内未能从中取得画面</translation>
    </message>
    <message>
        <source>No frame could be taken from “{name}”: {reason}.</source>
        <translation>无法从“{name}”中截取画面：{reason}。</translation>
    </message>
</context>
<context>
    <name>ImageEditor</name>
    <message>
        <source>This image</source>
        <extracomment>The fields this editor sets for one image; a batch file may set the others too (kept as they are).</extracomment>
        <translation>此图片</translation>
    </message>
    <message>
        <source>Follows the form&apos;s prompt. Type here to give this image its own.</source>
        <translation>沿用表单中的提示词。在此输入可为此图片单独设置提示词。</translation>
    </message>
    <message>
        <source>This image&apos;s prompt</source>
        <translation>此图片的提示词</translation>
    </message>
    <message>
        <source>A prompt for this image only; empty follows the form&apos;s prompt</source>
        <translation>仅用于此图片的提示词；留空则沿用表单中的提示词</translation>
    </message>
    <message>
        <source>Own settings</source>
        <translation>单独设置</translation>
    </message>
    <message>
        <source>This image has its own settings</source>
        <translation>此图片有单独的设置</translation>
    </message>
    <message>
        <source>Off: this image takes the form&apos;s duration, resolution, sound and seed</source>
        <translation>关闭：此图片沿用表单中的时长、分辨率、声音和种子</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>This image&apos;s duration</source>
        <translation>此图片的时长</translation>
    </message>
    <message>
        <source>Length of this image&apos;s video</source>
        <translation>此图片生成视频的时长</translation>
    </message>
    <message>
        <source>This image&apos;s resolution</source>
        <translation>此图片的分辨率</translation>
    </message>
    <message>
        <source>Resolution of this image&apos;s video</source>
        <translation>此图片生成视频的分辨率</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>声音</translation>
    </message>
    <message>
        <source>This image&apos;s sound</source>
        <translation>此图片的声音</translation>
    </message>
    <message>
        <source>Make sound for this image&apos;s video</source>
        <translation>为此图片的视频生成声音</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>This image&apos;s seed</source>
        <translation>此图片的种子</translation>
    </message>
    <message>
        <source>The seed for this image&apos;s first take; 0 = random</source>
        <translation>此图片第一次生成所用的种子；0 = 随机</translation>
    </message>
    <message>
        <source>Follow the form</source>
        <translation>沿用表单</translation>
    </message>
    <message>
        <source>Forget this image&apos;s own prompt and settings</source>
        <translation>清除此图片单独设置的提示词和参数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
</context>
<context>
    <name>ImagePanel</name>
    <message>
        <source>it could not be read</source>
        <translation>无法读取</translation>
    </message>
    <message>
        <source>Drop images here (JPEG, PNG, WebP, a folder, a batch .csv, or a link from your browser)
or use Open… (Ctrl+O) / Paste (Ctrl+V)</source>
        <extracomment>The form&apos;s settings, for what an image follows (the window sets it to form.settings).</extracomment>
        <translation>将图片拖放到这里（JPEG、PNG、WebP、文件夹、批量 .csv 文件，或浏览器中的链接）
或使用“打开…”（Ctrl+O）/“粘贴”（Ctrl+V）</translation>
    </message>
    <message>
        <source>No images yet</source>
        <translation>还没有图片</translation>
    </message>
    <message>
        <source>Chosen images</source>
        <translation>已选图片</translation>
    </message>
    <message>
        <source>The images to animate: one video per image and take. Select one to give it its own prompt and settings. Delete removes the selected ones.</source>
        <translation>要制作成视频的图片：每张图片每次生成一个视频。选中一张图片可为它单独设置提示词和参数。按 Delete 移除所选图片。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Images in the batch</source>
        <translation>批量中的图片</translation>
    </message>
    <message>
        <source>Take the images that cannot be sent out of the list</source>
        <translation>将无法发送的图片从列表中移除</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Clear the images</source>
        <translation>清空图片</translation>
    </message>
    <message>
        <source>Empty the list of images</source>
        <translation>清空图片列表</translation>
    </message>
    <message>
        <source>Batch problems</source>
        <translation>批量问题</translation>
    </message>
    <message>
        <source>Subfolders found</source>
        <translation>发现子文件夹</translation>
    </message>
    <message>
        <source>Include subfolders</source>
        <translation>包含子文件夹</translation>
    </message>
    <message>
        <source>Add the images in the folders inside the dropped folder too</source>
        <translation>同时添加所拖放文件夹内各子文件夹中的图片</translation>
    </message>
    <message>
        <source>{name} could not be read: {reason}</source>
        <translation>无法读取 {name}：{reason}</translation>
    </message>
    <message>
        <source>{folders} has folders inside. Only the images at the top were added.</source>
        <translation>{folders} 中还有子文件夹。只添加了最上层的图片。</translation>
    </message>
    <message>
        <source>web link: sent to Novita as it is</source>
        <translation>网页链接：原样发送给 Novita</translation>
    </message>
    <message>
        <source>{file} row {row}</source>
        <translation>{file} 第 {row} 行</translation>
    </message>
    <message>
        <source>batch file</source>
        <translation>批量文件</translation>
    </message>
    <message>
        <source>column {column}: {message}</source>
        <translation>第 {column} 列：{message}</translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation>正在读取 {name}…</translation>
    </message>
    <message>
        <source>Checking {name}…</source>
        <translation>正在检查 {name}…</translation>
    </message>
    <message>
        <source>This image: {name}</source>
        <translation>此图片：{name}</translation>
    </message>
    <message>
        <source>… not shown: {count} more.</source>
        <translation>… 另有 {count} 项未显示。</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>✎ Own prompt: “{prompt}”</source>
        <translation>✎ 单独的提示词：“{prompt}”</translation>
    </message>
    <message>
        <source>⚙ Own settings: {summary}</source>
        <translation>⚙ 单独的设置：{summary}</translation>
    </message>
    <message>
        <source>Own values from {origin}</source>
        <translation>单独的参数来自 {origin}</translation>
    </message>
    <message>
        <source>Prompt: {prompt}</source>
        <translation>提示词：{prompt}</translation>
    </message>
    <message>
        <source>Remove invalid ({count})</source>
        <translation>移除无效图片（{count}）</translation>
    </message>
    <message>
        <source>Ready: {count}</source>
        <translation>就绪：{count}</translation>
    </message>
    <message>
        <source>With problems: {count}</source>
        <translation>有问题：{count}</translation>
    </message>
    <message>
        <source>Being checked: {count}</source>
        <translation>正在检查：{count}</translation>
    </message>
    <message>
        <source>sound free of motion</source>
        <translation>声音不跟随画面动作</translation>
    </message>
    <message>
        <source>at once</source>
        <translation>立即</translation>
    </message>
</context>
<context>
    <name>JobDetails</name>
    <message>
        <source>Job details</source>
        <translation>任务详情</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>What went wrong, in full</source>
        <translation>完整的出错信息</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the error</source>
        <translation>复制错误信息</translation>
    </message>
    <message>
        <source>Copy the whole error text, to search for it or send it</source>
        <translation>复制完整的错误信息，用于搜索或发送给他人</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Video file</source>
        <translation>视频文件</translation>
    </message>
    <message>
        <source>Task id</source>
        <translation>任务 ID</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>最后更改</translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation>估算</translation>
    </message>
    <message>
        <source>Made from</source>
        <translation>生成自</translation>
    </message>
    <message>
        <source>Followed by</source>
        <translation>后续任务</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Play this job&apos;s video (Enter in the list)</source>
        <translation>播放此任务的视频（在列表中按 Enter）</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>Open the folder that holds the video</source>
        <translation>打开视频所在的文件夹</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Try this job again (Ctrl+R)</source>
        <translation>重试此任务（Ctrl+R）</translation>
    </message>
    <message>
        <source>Re-run</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Put this job&apos;s image and settings back in the list, ready to generate again</source>
        <translation>将此任务的图片和设置放回列表，以便再次生成</translation>
    </message>
    <message>
        <source>Continue from last frame</source>
        <translation>从最后一帧继续</translation>
    </message>
    <message>
        <source>Add the video&apos;s last frame as a new image, with the same settings and prompt</source>
        <translation>将视频的最后一帧添加为新图片，使用相同的设置和提示词</translation>
    </message>
    <message>
        <source>Select a job to see its details.</source>
        <translation>选择一个任务以查看详情。</translation>
    </message>
    <message>
        <source>silent</source>
        <translation>无声音</translation>
    </message>
    <message>
        <source>{seconds} s, {resolution}</source>
        <translation>{seconds} 秒，{resolution}</translation>
    </message>
    <message>
        <source>Sound: {sound}</source>
        <translation>声音：{sound}</translation>
    </message>
    <message>
        <source>Sound follows the motion</source>
        <translation>声音跟随画面动作</translation>
    </message>
    <message>
        <source>Off-peak (cheaper, slower)</source>
        <translation>错峰（更便宜，更慢）</translation>
    </message>
    <message>
        <source>(none: the model decides)</source>
        <translation>（无：由模型决定）</translation>
    </message>
    <message>
        <source>chosen by Novita</source>
        <translation>由 Novita 选择</translation>
    </message>
    <message>
        <source>(no video yet)</source>
        <translation>（还没有视频）</translation>
    </message>
    <message>
        <source>(not sent yet)</source>
        <translation>（尚未发送）</translation>
    </message>
    <message>
        <source>≈ {price}</source>
        <translation>≈ {price}</translation>
    </message>
    <message>
        <source>re-run of</source>
        <translation>重新生成自</translation>
    </message>
    <message>
        <source>continued from</source>
        <translation>继续自</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>JobList</name>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Submitting…</source>
        <translation>正在提交…</translation>
    </message>
    <message>
        <source>Sent? Unknown — check, then Retry</source>
        <translation>是否已发送？不确定——请检查后重试</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>处理中</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source> · #{place}</source>
        <translation> · 第 {place} 位</translation>
    </message>
    <message>
        <source> · Novita asked to wait: again in {left}</source>
        <translation> · Novita 要求稍候：{left} 后再试</translation>
    </message>
    <message>
        <source> · {left} left</source>
        <translation> · 还剩 {left}</translation>
    </message>
    <message>
        <source> · any moment</source>
        <translation> · 即将完成</translation>
    </message>
    <message>
        <source>{state}: {error}</source>
        <translation>{state}：{error}</translation>
    </message>
    <message>
        <source>(no image)</source>
        <translation>（无图片）</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source> · playing</source>
        <translation> · 正在播放</translation>
    </message>
    <message>
        <source> · ready: Play</source>
        <translation> · 已就绪：播放</translation>
    </message>
    <message>
        <source>Image: {source}</source>
        <translation>图片：{source}</translation>
    </message>
    <message>
        <source>Prompt: {prompt}</source>
        <translation>提示词：{prompt}</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Task id: {task}</source>
        <translation>任务 ID：{task}</translation>
    </message>
    <message>
        <source>Video: {path}</source>
        <translation>视频：{path}</translation>
    </message>
    <message>
        <source>(no prompt)</source>
        <translation>（无提示词）</translation>
    </message>
</context>
<context>
    <name>JobListView</name>
    <message>
        <source>Jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Your jobs, newest first. Enter plays, Delete deletes, drag a video out to a folder, drag waiting jobs to reorder the queue.</source>
        <translation>你的任务，最新的在前。按 Enter 播放，按 Delete 删除，可将视频拖到文件夹，可拖动等待中的任务调整队列顺序。</translation>
    </message>
    <message>
        <source>No job matches “{search}”</source>
        <translation>没有任务匹配“{search}”</translation>
    </message>
    <message>
        <source>No job in this state. Choose “All” in Show jobs to see every job.</source>
        <translation>没有处于此状态的任务。在“显示任务”中选择“全部”可查看所有任务。</translation>
    </message>
    <message>
        <source>No jobs yet: drop an image here, or open one with Ctrl+O</source>
        <translation>还没有任务：将图片拖放到这里，或按 Ctrl+O 打开图片</translation>
    </message>
</context>
<context>
    <name>JobsPanel</name>
    <message>
        <source>Show jobs</source>
        <translation>显示任务</translation>
    </message>
    <message>
        <source>Show only jobs in this state</source>
        <translation>只显示处于此状态的任务</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed or uncertain</source>
        <translation>失败或不确定</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Show &amp;jobs</source>
        <translation>显示任务(&amp;J)</translation>
    </message>
    <message>
        <source>Search file name, prompt, state or task id</source>
        <translation>搜索文件名、提示词、状态或任务 ID</translation>
    </message>
    <message>
        <source>Search jobs</source>
        <translation>搜索任务</translation>
    </message>
    <message>
        <source>Show only jobs whose file name, prompt, state or task id contains this text (Ctrl+F; Esc clears)</source>
        <translation>只显示文件名、提示词、状态或任务 ID 中包含此文字的任务（Ctrl+F；按 Esc 清除）</translation>
    </message>
    <message>
        <source>Clear the search</source>
        <translation>清除搜索</translation>
    </message>
    <message>
        <source>Clear the search (Esc)</source>
        <translation>清除搜索（Esc）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel selected waiting jobs</source>
        <translation>取消所选的等待中任务</translation>
    </message>
    <message>
        <source>Take the selected waiting jobs out of the queue (nothing is sent or charged)</source>
        <translation>将所选的等待中任务移出队列（不会发送，也不会扣费）</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move up in the queue</source>
        <translation>在队列中上移</translation>
    </message>
    <message>
        <source>Send the selected waiting jobs sooner (Ctrl+Up)</source>
        <translation>让所选的等待中任务更早发送（Ctrl+Up）</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Move down in the queue</source>
        <translation>在队列中下移</translation>
    </message>
    <message>
        <source>Send the selected waiting jobs later (Ctrl+Down)</source>
        <translation>让所选的等待中任务更晚发送（Ctrl+Down）</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Play the video that is ready</source>
        <translation>播放已就绪的视频</translation>
    </message>
    <message>
        <source>Play the video that just finished</source>
        <translation>播放刚完成的视频</translation>
    </message>
    <message>
        <source>That job is not in the list as filtered: choose “All” and clear the search.</source>
        <translation>该任务不在当前筛选后的列表中：请选择“全部”并清除搜索。</translation>
    </message>
    <message>
        <source>The video from {name} is ready.</source>
        <translation>来自 {name} 的视频已就绪。</translation>
    </message>
    <message>
        <source>Send again?</source>
        <translation>再次发送？</translation>
    </message>
    <message>
        <source>This job may already have started on Novita (and been charged). Send it again anyway?</source>
        <translation>此任务可能已在 Novita 上开始（并已扣费）。仍要再次发送吗？</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>再次发送</translation>
    </message>
    <message>
        <source>Don&apos;t send</source>
        <translation>不发送</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Top up on novita.ai…</source>
        <translation>在 novita.ai 充值…</translation>
    </message>
    <message>
        <source>Save a copy…</source>
        <translation>另存副本…</translation>
    </message>
    <message>
        <source>Re-run (new seed)</source>
        <translation>重新生成（新种子）</translation>
    </message>
    <message>
        <source>Continue from last frame</source>
        <translation>从最后一帧继续</translation>
    </message>
    <message>
        <source>Edit again (image and settings to the form)</source>
        <translation>再次编辑（将图片和设置放回表单）</translation>
    </message>
    <message>
        <source>Use these settings</source>
        <translation>使用这些设置</translation>
    </message>
    <message>
        <source>Reuse its seed</source>
        <translation>重用其种子</translation>
    </message>
    <message>
        <source>Copy task id</source>
        <translation>复制任务 ID</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Re-running “{name}” with a new seed.</source>
        <translation>正在以新种子重新生成“{name}”。</translation>
    </message>
    <message>
        <source>Save a copy</source>
        <translation>保存副本</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4)</source>
        <translation>MP4 视频 (*.mp4)</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>A job that is being sent or downloaded cannot be deleted yet; try again in a moment.</source>
        <translation>正在发送或下载的任务暂时无法删除；请稍后再试。</translation>
    </message>
    <message>
        <source>Delete {count} jobs</source>
        <translation>删除 {count} 个任务</translation>
    </message>
    <message>
        <source>Delete the job</source>
        <translation>删除此任务</translation>
    </message>
    <message>
        <source>Delete {count} job(s)?</source>
        <translation>删除 {count} 个任务？</translation>
    </message>
    <message>
        <source>{files} video file(s) are deleted with them. This cannot be undone.</source>
        <translation>将同时删除 {files} 个视频文件。此操作无法撤销。</translation>
    </message>
    <message>
        <source>This cannot be undone.</source>
        <translation>此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Resume queue</source>
        <translation>恢复队列</translation>
    </message>
    <message>
        <source>Pause queue</source>
        <translation>暂停队列</translation>
    </message>
    <message>
        <source>Waiting jobs are not sent while the queue is paused; jobs already at Novita go on (Ctrl+P)</source>
        <translation>队列暂停时不会发送等待中的任务；已提交到 Novita 的任务会继续进行（Ctrl+P）</translation>
    </message>
    <message>
        <source>Queue paused: waiting jobs are not sent</source>
        <translation>队列已暂停：不会发送等待中的任务</translation>
    </message>
    <message>
        <source>Queue running</source>
        <translation>队列运行中</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Make one video per image (Ctrl+Return)</source>
        <translation>每张图片生成一个视频（Ctrl+Return）</translation>
    </message>
    <message>
        <source>Add your Novita API key</source>
        <translation>添加你的 Novita API 密钥</translation>
    </message>
    <message>
        <source>Open Settings to add your key and make real videos</source>
        <translation>打开“设置”添加你的密钥，生成真正的视频</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>余额</translation>
    </message>
    <message>
        <source>&lt;b&gt;Demo mode&lt;/b&gt; — videos come from the built-in simulator, nothing is charged. Add your key to make real videos.</source>
        <translation>&lt;b&gt;演示模式&lt;/b&gt; — 视频来自内置模拟器，不会扣费。添加你的密钥即可生成真正的视频。</translation>
    </message>
    <message>
        <source>{app} — Demo mode</source>
        <translation>{app} — 演示模式</translation>
    </message>
    <message>
        <source>Demo balance {balance} (pretend)</source>
        <translation>演示余额 {balance}（模拟）</translation>
    </message>
    <message>
        <source>Pretend money of the built-in simulator: nothing real is charged.</source>
        <translation>内置模拟器的模拟金额：不会产生任何真实扣费。</translation>
    </message>
    <message>
        <source>Balance: {balance}</source>
        <translation>余额：{balance}</translation>
    </message>
    <message>
        <source>Available on your Novita account, read now and then (every 10 minutes, and after sending).</source>
        <translation>你的 Novita 账户中的可用金额，会不时读取（每 10 分钟一次，以及每次发送之后）。</translation>
    </message>
    <message>
        <source>Balance: reading…</source>
        <translation>余额：正在读取…</translation>
    </message>
    <message>
        <source>Reading the balance from Novita.</source>
        <translation>正在从 Novita 读取余额。</translation>
    </message>
    <message>
        <source>Balance: unknown</source>
        <translation>余额：未知</translation>
    </message>
    <message>
        <source>The balance could not be read: {reason}</source>
        <translation>无法读取余额：{reason}</translation>
    </message>
    <message>
        <source>The balance could not be read.</source>
        <translation>无法读取余额。</translation>
    </message>
    <message>
        <source>Generating works all the same.</source>
        <translation>照样可以生成。</translation>
    </message>
    <message>
        <source>The job list could not be read: {reason}.</source>
        <translation>无法读取任务列表：{reason}。</translation>
    </message>
    <message>
        <source>The file is {path}. It has not been changed. You can keep it aside (under a dated name, for recovery) and start a fresh job list; videos already in your library are not touched.</source>
        <translation>文件位于 {path}，未做任何更改。你可以将其另存（以带日期的名称保留，便于恢复）并新建任务列表；媒体库中已有的视频不受影响。</translation>
    </message>
    <message>
        <source>Keep it aside and start fresh</source>
        <translation>另存旧列表并重新开始</translation>
    </message>
    <message>
        <source>Open its folder</source>
        <translation>打开所在文件夹</translation>
    </message>
    <message>
        <source>Add an image to animate: drop it here, or use Open… (Ctrl+O).</source>
        <translation>添加要制作成视频的图片：拖放到这里，或使用“打开…”（Ctrl+O）。</translation>
    </message>
    <message>
        <source>Checking {name}…</source>
        <translation>正在检查 {name}…</translation>
    </message>
    <message>
        <source>Waiting for a connection (API key or Demo mode)…</source>
        <translation>正在等待连接（API 密钥或演示模式）…</translation>
    </message>
    <message>
        <source>{refusal} Change the cap in Settings (Ctrl+,).</source>
        <translation>{refusal} 可在“设置”中更改上限（Ctrl+,）。</translation>
    </message>
    <message>
        <source>{count} of {total} images cannot be used and will be left out: {problem}</source>
        <translation>共 {total} 张图片中有 {count} 张无法使用，将被跳过：{problem}</translation>
    </message>
    <message>
        <source>Generate {count} videos</source>
        <translation>生成 {count} 个视频</translation>
    </message>
    <message>
        <source> — more than your balance</source>
        <translation> — 超出了你的余额</translation>
    </message>
    <message>
        <source>{count} videos</source>
        <translation>{count} 个视频</translation>
    </message>
    <message>
        <source>one video</source>
        <translation>一个视频</translation>
    </message>
    <message>
        <source>Make {videos} (Ctrl+Return).</source>
        <translation>生成 {videos}（Ctrl+Return）。</translation>
    </message>
    <message>
        <source>Make {videos} (Ctrl+Return), estimated to cost {price} in all. An estimate: Novita charges what it charges.</source>
        <translation>生成 {videos}（Ctrl+Return），估算总费用为 {price}。这只是估算：实际以 Novita 的扣费为准。</translation>
    </message>
    <message>
        <source> That is more than your balance of {balance}: you will be asked first.</source>
        <translation>这超出了你的余额 {balance}：发送前会先询问你。</translation>
    </message>
    <message>
        <source>Some images cannot be used</source>
        <translation>部分图片无法使用</translation>
    </message>
    <message>
        <source>{bad} of {total} images cannot be used:</source>
        <translation>共 {total} 张图片中有 {bad} 张无法使用：</translation>
    </message>
    <message>
        <source>Generate {count} valid</source>
        <translation>生成 {count} 张有效图片</translation>
    </message>
    <message>
        <source>Nothing was sent.</source>
        <translation>没有发送任何内容。</translation>
    </message>
    <message>
        <source>Sent {count} job(s).</source>
        <translation>已发送 {count} 个任务。</translation>
    </message>
    <message>
        <source>This is above {threshold}, the amount you asked to confirm (Settings → Money).</source>
        <translation>这超过了 {threshold}，即你设定的需要确认的金额（设置 → 费用）。</translation>
    </message>
    <message>
        <source>It is more than your pretend balance of {balance}: Novita may refuse the jobs it does not cover (nothing is charged for those).</source>
        <translation>这超过了你的模拟余额 {balance}：Novita 可能会拒绝余额不足以支付的任务（这些任务不会扣费）。</translation>
    </message>
    <message>
        <source>It is more than your balance of {balance}: Novita may refuse the jobs it does not cover (nothing is charged for those).</source>
        <translation>这超过了你的余额 {balance}：Novita 可能会拒绝余额不足以支付的任务（这些任务不会扣费）。</translation>
    </message>
    <message>
        <source>1 video</source>
        <translation>1 个视频</translation>
    </message>
    <message>
        <source>Generate {videos} for ≈ {total} (estimate)?</source>
        <translation>生成 {videos}，约 {total}（估算）？</translation>
    </message>
    <message>
        <source>≈ {each} each, ≈ {total} in all (estimate)</source>
        <translation>每个约 {each}，总计约 {total}（估算）</translation>
    </message>
    <message>
        <source>Generate {videos}</source>
        <translation>生成 {videos}</translation>
    </message>
    <message>
        <source>Generate — cost</source>
        <translation>生成 — 费用</translation>
    </message>
    <message>
        <source>Don&apos;t send</source>
        <translation>不发送</translation>
    </message>
    <message>
        <source>Open images</source>
        <translation>打开图片</translation>
    </message>
    <message>
        <source>Images (*.jpg *.jpeg *.png *.webp);;All files (*)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.webp);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Nothing usable here: paste or drop image files, image data or an http(s) link to an image.</source>
        <translation>这里没有可用的内容：请粘贴或拖入图片文件、图片数据或指向图片的 http(s) 链接。</translation>
    </message>
    <message>
        <source>A video is ready: {name}</source>
        <translation>视频已就绪：{name}</translation>
    </message>
    <message>
        <source>Your video is ready</source>
        <translation>你的视频已就绪</translation>
    </message>
    <message>
        <source>{name} — click to play</source>
        <translation>{name} — 点击播放</translation>
    </message>
    <message>
        <source>This job has no video yet.</source>
        <translation>此任务还没有视频。</translation>
    </message>
    <message>
        <source>Taking the last frame of “{name}”…</source>
        <translation>正在截取“{name}”的最后一帧…</translation>
    </message>
    <message>
        <source>The frame was added as a new image: {path}</source>
        <translation>该画面已添加为新图片：{path}</translation>
    </message>
    <message>
        <source>Open a folder of images</source>
        <translation>打开图片文件夹</translation>
    </message>
    <message>
        <source>Open a batch file</source>
        <translation>打开批量文件</translation>
    </message>
    <message>
        <source>Batch files (*.csv);;All files (*)</source>
        <translation>批量文件 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save the batch as CSV</source>
        <translation>将批量保存为 CSV</translation>
    </message>
    <message>
        <source>Batch files (*.csv)</source>
        <translation>批量文件 (*.csv)</translation>
    </message>
    <message>
        <source>Saved {count} rows to {path}</source>
        <translation>已将 {count} 行保存到 {path}</translation>
    </message>
    <message>
        <source>Import videos</source>
        <translation>导入视频</translation>
    </message>
    <message>
        <source>Videos (*.mp4);;All files (*)</source>
        <translation>视频 (*.mp4);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Imported {count} video(s).</source>
        <translation>已导入 {count} 个视频。</translation>
    </message>
    <message>
        <source>Not imported: {problems}</source>
        <translation>未导入：{problems}</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open images…</source>
        <translation>打开图片(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;folder…</source>
        <translation>打开文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Add every image in a folder (a .txt next to an image is its prompt)</source>
        <translation>添加文件夹中的所有图片（图片旁同名的 .txt 文件作为其提示词）</translation>
    </message>
    <message>
        <source>Open &amp;batch file (CSV)…</source>
        <translation>打开批量文件 (CSV)(&amp;B)…</translation>
    </message>
    <message>
        <source>A CSV with an image column and any of prompt, duration, resolution…</source>
        <translation>包含图片列以及提示词、时长、分辨率等任意列的 CSV 文件…</translation>
    </message>
    <message>
        <source>Save batch as &amp;CSV…</source>
        <translation>将批量保存为 CSV(&amp;C)…</translation>
    </message>
    <message>
        <source>The images in the list, with their prompts and settings, as a batch file</source>
        <translation>列表中的图片及其提示词和设置，保存为批量文件</translation>
    </message>
    <message>
        <source>&amp;Import videos…</source>
        <translation>导入视频(&amp;I)…</translation>
    </message>
    <message>
        <source>Add videos made by this app (their settings are inside) to the job list</source>
        <translation>将本应用生成的视频（其中包含设置）添加到任务列表</translation>
    </message>
    <message>
        <source>&amp;Paste image or link</source>
        <translation>粘贴图片或链接(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Remove selected images</source>
        <translation>移除所选图片(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Clear images</source>
        <translation>清空图片(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Find in jobs</source>
        <translation>在任务中查找(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Jobs</source>
        <translation>任务(&amp;J)</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Retry selected</source>
        <translation>重试所选任务(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Pause queue</source>
        <translation>暂停队列(&amp;P)</translation>
    </message>
    <message>
        <source>Waiting jobs are not sent while the queue is paused</source>
        <translation>队列暂停时不会发送等待中的任务</translation>
    </message>
    <message>
        <source>&amp;Cancel selected waiting jobs</source>
        <translation>取消所选的等待中任务(&amp;C)</translation>
    </message>
    <message>
        <source>Move &amp;up in the queue</source>
        <translation>在队列中上移(&amp;U)</translation>
    </message>
    <message>
        <source>Move &amp;down in the queue</source>
        <translation>在队列中下移(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Delete selected jobs…</source>
        <translation>删除所选任务(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Spending…</source>
        <translation>花费(&amp;S)…</translation>
    </message>
    <message>
        <source>Estimated spending today, this week and this month, and Novita&apos;s bill</source>
        <translation>今天、本周和本月的估算花费，以及 Novita 的账单</translation>
    </message>
    <message>
        <source>Play/&amp;pause</source>
        <translation>播放/暂停(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>打开日志文件夹(&amp;L)</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>日志文件夹</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation>关于 {app}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{app}&lt;/b&gt; {version}&lt;br&gt;Still images to videos with Novita AI&apos;s Vidu Q3 Turbo.</source>
        <translation>&lt;b&gt;{app}&lt;/b&gt; {version}&lt;br&gt;使用 Novita AI 的 Vidu Q3 Turbo 将静态图片制作成视频。</translation>
    </message>
    <message>
        <source>Quit with jobs running?</source>
        <translation>仍有任务在进行，确定退出吗？</translation>
    </message>
    <message>
        <source>{count} job(s) are not finished.</source>
        <translation>{count} 个任务尚未完成。</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Keep open</source>
        <translation>保持打开</translation>
    </message>
    <message>
        <source>Jobs already sent continue at Novita; waiting jobs stay in the queue. All of them are picked up when you start {app} again.</source>
        <translation>已发送的任务会在 Novita 上继续进行；等待中的任务会留在队列中。下次启动 {app} 时会继续处理所有任务。</translation>
    </message>
    <message>
        <source>Don&apos;t ask again</source>
        <translation>不再询问</translation>
    </message>
</context>
<context>
    <name>ParameterForm</name>
    <message>
        <source>Describe the motion: “the camera slowly pushes in while the leaves move in the wind”</source>
        <translation>描述画面动作：“镜头缓缓推进，树叶随风摆动”</translation>
    </message>
    <message>
        <source>What should move and how (up to {limit} characters). Empty lets the model decide. Prompts you sent before are offered as you type.</source>
        <translation>要动起来的内容及方式（最多 {limit} 个字符）。留空则由模型决定。输入时会提示你以前发送过的提示词。</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Prompt length</source>
        <translation>提示词长度</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Length of the video, {low}–{high} seconds.</source>
        <translation>视频时长，{low}–{high} 秒。</translation>
    </message>
    <message>
        <source>Output resolution. Higher costs more and takes longer.</source>
        <translation>输出分辨率。越高费用越高，耗时越长。</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>The same seed with the same settings gives a similar video. 0 = random.</source>
        <translation>相同的种子配合相同的设置会生成相似的视频。0 = 随机。</translation>
    </message>
    <message>
        <source>Randomize</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Pick a random seed</source>
        <translation>随机选取一个种子</translation>
    </message>
    <message>
        <source>Randomize seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>How many videos to make from each image, each with its own seed (1–{most}). Each take costs as much as one video.</source>
        <translation>每张图片生成几个视频，每个使用各自的种子（1–{most}）。每次生成的费用与一个视频相同。</translation>
    </message>
    <message>
        <source>Generate sound</source>
        <translation>生成声音</translation>
    </message>
    <message>
        <source>Make dialogue and background sound together with the video.</source>
        <translation>随视频一起生成对白和背景声音。</translation>
    </message>
    <message>
        <source>Which kind of sound to make (only when sound is on).</source>
        <translation>要生成哪种声音（仅在开启声音时）。</translation>
    </message>
    <message>
        <source>Match sound to motion</source>
        <translation>声音匹配动作</translation>
    </message>
    <message>
        <source>is_rec: the rhythm of the sound follows what happens in the video. It changes the sound only; the price stays the same (estimate).</source>
        <translation>is_rec：声音的节奏跟随视频中的动作。只改变声音，价格不变（估算）。</translation>
    </message>
    <message>
        <source>Off-peak (cheaper, may take up to 48 hours)</source>
        <translation>错峰（更便宜，最长可能需要 48 小时）</translation>
    </message>
    <message>
        <source>Off-peak</source>
        <translation>错峰</translation>
    </message>
    <message>
        <source>Queued for off-peak processing: costs less (the estimate shows how much), but Novita may take up to 48 hours. The app keeps checking, even across restarts.</source>
        <translation>以错峰方式排队处理：费用更低（估算会显示便宜多少），但 Novita 最长可能需要 48 小时。应用会持续检查，重启后也会继续。</translation>
    </message>
    <message>
        <source>Cheaper, but the video may take up to 48 hours.</source>
        <translation>更便宜，但视频最长可能需要 48 小时。</translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation>估算</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>分辨率</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Takes per image</source>
        <translation>每张图片的生成次数</translation>
    </message>
    <message>
        <source>Sound type</source>
        <translation>声音类型</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>&amp;Prompt</source>
        <translation>提示词(&amp;P)</translation>
    </message>
    <message>
        <source>≈ — per video (estimate)</source>
        <translation>≈ — 每个视频（估算）</translation>
    </message>
    <message>
        <source>No estimate for these settings.</source>
        <translation>无法估算这些设置的费用。</translation>
    </message>
    <message>
        <source>≈ {price} per video, estimate</source>
        <translation>每个视频 ≈ {price}，估算</translation>
    </message>
    <message>
        <source>× {takes} takes: ≈ {price} per image</source>
        <translation>× {takes} 次：每张图片 ≈ {price}</translation>
    </message>
    <message>
        <source>your own rates</source>
        <translation>你自己的价格</translation>
    </message>
    <message>
        <source>the price table</source>
        <translation>价格表</translation>
    </message>
    <message>
        <source>the price table of {date}</source>
        <translation>{date} 的价格表</translation>
    </message>
    <message>
        <source>{duration} s at {resolution}</source>
        <translation>{duration} 秒，{resolution}</translation>
    </message>
    <message>
        <source>, off-peak</source>
        <translation>，错峰</translation>
    </message>
    <message>
        <source>An estimate from {where}: Novita charges what it charges.</source>
        <translation>根据{where}估算：实际以 Novita 的扣费为准。</translation>
    </message>
    <message>
        <source>Estimated cost of one video: {price}. {detail}</source>
        <translation>一个视频的估算费用：{price}。{detail}</translation>
    </message>
</context>
<context>
    <name>PathDialog</name>
    <message>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>The folder&apos;s path: copy it into a file manager or a terminal</source>
        <translation>文件夹路径：可复制到文件管理器或终端中</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the path</source>
        <translation>复制路径</translation>
    </message>
    <message>
        <source>Copy the path to the clipboard</source>
        <translation>将路径复制到剪贴板</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>PresetBar</name>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Choose a saved preset to load its settings and prompt into the form</source>
        <translation>选择一个已保存的预设，将其设置和提示词载入表单</translation>
    </message>
    <message>
        <source>Presets</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Preset actions</source>
        <translation>预设操作</translation>
    </message>
    <message>
        <source>Save, rename, delete, export or import presets</source>
        <translation>保存、重命名、删除、导出或导入预设</translation>
    </message>
    <message>
        <source>Save as preset…</source>
        <translation>另存为预设…</translation>
    </message>
    <message>
        <source>Rename preset…</source>
        <translation>重命名预设…</translation>
    </message>
    <message>
        <source>Delete preset</source>
        <translation>删除预设</translation>
    </message>
    <message>
        <source>Export presets…</source>
        <translation>导出预设…</translation>
    </message>
    <message>
        <source>Import presets…</source>
        <translation>导入预设…</translation>
    </message>
    <message>
        <source>Presets message</source>
        <translation>预设消息</translation>
    </message>
    <message>
        <source>A preset needs a name.</source>
        <translation>预设需要一个名称。</translation>
    </message>
    <message>
        <source>There are {limit} presets already: delete one first.</source>
        <translation>已有 {limit} 个预设：请先删除一个。</translation>
    </message>
    <message>
        <source>Saved preset “{name}”.</source>
        <translation>已保存预设“{name}”。</translation>
    </message>
    <message>
        <source>There is no preset called “{name}”.</source>
        <translation>没有名为“{name}”的预设。</translation>
    </message>
    <message>
        <source>A preset called “{name}” exists already.</source>
        <translation>名为“{name}”的预设已存在。</translation>
    </message>
    <message>
        <source>Renamed to “{name}”.</source>
        <translation>已重命名为“{name}”。</translation>
    </message>
    <message>
        <source>Deleted preset “{name}”.</source>
        <translation>已删除预设“{name}”。</translation>
    </message>
    <message>
        <source>Could not write {file}: {reason}</source>
        <translation>无法写入 {file}：{reason}</translation>
    </message>
    <message>
        <source>Presets exported to {file}: {count}.</source>
        <translation>已将预设导出到 {file}：{count} 个。</translation>
    </message>
    <message>
        <source>Could not read {file}: it is not a regular file.</source>
        <translation>无法读取 {file}：它不是普通文件。</translation>
    </message>
    <message>
        <source>Could not read {file}: {reason}</source>
        <translation>无法读取 {file}：{reason}</translation>
    </message>
    <message>
        <source>Nothing was imported from {file}. {reason}</source>
        <translation>未从 {file} 导入任何内容。{reason}</translation>
    </message>
    <message>
        <source>Nothing was imported: that would make more than {limit} presets.</source>
        <translation>未导入任何内容：导入后预设将超过 {limit} 个。</translation>
    </message>
    <message>
        <source>Presets imported from {file}: {count}.</source>
        <translation>已从 {file} 导入预设：{count} 个。</translation>
    </message>
    <message>
        <source>Replaced, as they had the same name: {count}.</source>
        <translation>因名称相同而被替换的：{count} 个。</translation>
    </message>
    <message>
        <source>Save as preset</source>
        <translation>另存为预设</translation>
    </message>
    <message>
        <source>Name of the preset:</source>
        <translation>预设名称：</translation>
    </message>
    <message>
        <source>Replace preset</source>
        <translation>替换预设</translation>
    </message>
    <message>
        <source>Replace the preset “{name}” with the current settings?</source>
        <translation>用当前设置替换预设“{name}”吗？</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>Choose a preset to rename first.</source>
        <translation>请先选择要重命名的预设。</translation>
    </message>
    <message>
        <source>Rename preset</source>
        <translation>重命名预设</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <source>Choose a preset to delete first.</source>
        <translation>请先选择要删除的预设。</translation>
    </message>
    <message>
        <source>Delete the preset “{name}”?</source>
        <translation>删除预设“{name}”吗？</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Export presets</source>
        <translation>导出预设</translation>
    </message>
    <message>
        <source>Presets (*.json)</source>
        <translation>预设 (*.json)</translation>
    </message>
    <message>
        <source>Import presets</source>
        <translation>导入预设</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>No preset</source>
        <translation>无预设</translation>
    </message>
    <message>
        <source>No presets yet</source>
        <translation>还没有预设</translation>
    </message>
</context>
<context>
    <name>Presets</name>
    <message>
        <source>The file is larger than 1 MB: it is not a presets file.</source>
        <translation>文件大于 1 MB：不是预设文件。</translation>
    </message>
    <message>
        <source>The file is not JSON text.</source>
        <translation>文件不是 JSON 文本。</translation>
    </message>
    <message>
        <source>The file holds no presets (it needs a &quot;presets&quot; object).</source>
        <translation>文件中没有预设（需要一个 &quot;presets&quot; 对象）。</translation>
    </message>
    <message>
        <source>The file holds more than {limit} presets.</source>
        <translation>文件中的预设超过 {limit} 个。</translation>
    </message>
    <message>
        <source>A preset in the file has no name or no settings.</source>
        <translation>文件中有预设缺少名称或设置。</translation>
    </message>
    <message>
        <source>Preset “{name}”: {problem}</source>
        <translation>预设“{name}”：{problem}</translation>
    </message>
    <message>
        <source>The file holds no presets.</source>
        <translation>文件中没有预设。</translation>
    </message>
</context>
<context>
    <name>PromptEdit</name>
    <message>
        <source>Earlier prompts</source>
        <translation>以前的提示词</translation>
    </message>
    <message>
        <source>Prompts you sent before: Enter or Tab takes one, Esc closes the list</source>
        <translation>你以前发送过的提示词：按 Enter 或 Tab 选用，按 Esc 关闭列表</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>environment variable NOVITA_API_KEY</source>
        <translation>环境变量 NOVITA_API_KEY</translation>
    </message>
    <message>
        <source>system keyring</source>
        <translation>系统密钥环</translation>
    </message>
    <message>
        <source>this session only (no keyring available)</source>
        <translation>仅限本次会话（无可用的密钥环）</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Waiting for the keyring (it may be asking for a password): starting Demo mode…</source>
        <translation>正在等待密钥环（它可能在请求密码）：先启动演示模式…</translation>
    </message>
    <message>
        <source>Server address refused: {error}</source>
        <translation>服务器地址无效：{error}</translation>
    </message>
    <message>
        <source>Novita</source>
        <translation>Novita</translation>
    </message>
    <message>
        <source>Novita at {address}</source>
        <translation>Novita（{address}）</translation>
    </message>
    <message>
        <source>key from {source}</source>
        <translation>密钥来自{source}</translation>
    </message>
    <message>
        <source>No API key: set NOVITA_API_KEY or add one in Settings.</source>
        <translation>没有 API 密钥：请设置 NOVITA_API_KEY，或在“设置”中添加。</translation>
    </message>
    <message>
        <source>No API key: starting Demo mode…</source>
        <translation>没有 API 密钥：正在启动演示模式…</translation>
    </message>
    <message>
        <source>No API key, and the built-in simulator could not start ({error}).</source>
        <translation>没有 API 密钥，且内置模拟器无法启动（{error}）。</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>Novita refused the key: check it in Settings</source>
        <translation>Novita 拒绝了该密钥：请在“设置”中检查</translation>
    </message>
    <message>
        <source>checking the key…</source>
        <translation>正在验证密钥…</translation>
    </message>
    <message>
        <source>Demo mode · built-in simulator at {address}</source>
        <translation>演示模式 · 内置模拟器位于 {address}</translation>
    </message>
    <message>
        <source>Demo mode</source>
        <translation>演示模式</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Vidu Desktop — Settings</source>
        <extracomment>Wide enough for a whole Novita key (&quot;sk_&quot; and 48 more characters) without scrolling.</extracomment>
        <translation>Vidu Desktop — 设置</translation>
    </message>
    <message>
        <source>Paste your Novita API key (novita.ai → Key Management)</source>
        <translation>粘贴你的 Novita API 密钥（novita.ai → Key Management）</translation>
    </message>
    <message>
        <source>Kept in your system keyring (service “vidu-desktop”), never in a file. Save keeps what is typed here.</source>
        <translation>保存在系统密钥环中（服务名“vidu-desktop”），绝不会写入文件。点击“保存”会保留此处输入的内容。</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Show key</source>
        <translation>显示密钥</translation>
    </message>
    <message>
        <source>Show or hide the key as typed</source>
        <translation>显示或隐藏输入的密钥</translation>
    </message>
    <message>
        <source>Save key</source>
        <translation>保存密钥</translation>
    </message>
    <message>
        <source>Keep the typed key now, without closing Settings</source>
        <translation>立即保存输入的密钥，不关闭“设置”</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Ask Novita whether the key works (the typed one, else the stored one)</source>
        <translation>询问 Novita 该密钥是否可用（优先使用输入的密钥，否则使用已保存的密钥）</translation>
    </message>
    <message>
        <source>Remove key</source>
        <translation>移除密钥</translation>
    </message>
    <message>
        <source>Forget the stored key: the app goes back to Demo mode</source>
        <translation>忘记已保存的密钥：应用将回到演示模式</translation>
    </message>
    <message>
        <source>Looking up the stored key…</source>
        <translation>正在查找已保存的密钥…</translation>
    </message>
    <message>
        <source>API key status</source>
        <translation>API 密钥状态</translation>
    </message>
    <message>
        <source>Finished videos are saved here.</source>
        <translation>生成完成的视频保存在这里。</translation>
    </message>
    <message>
        <source>Video library</source>
        <translation>视频库</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Choose the video library folder</source>
        <translation>选择视频库文件夹</translation>
    </message>
    <message>
        <source>Leave empty for Novita. NOVITA_API_BASE_URL in the environment wins.</source>
        <translation>留空则使用 Novita。环境变量 NOVITA_API_BASE_URL 优先。</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Keep these settings, the typed key included, and close</source>
        <translation>保存这些设置（包括输入的密钥）并关闭</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close without keeping the changes</source>
        <translation>关闭且不保存更改</translation>
    </message>
    <message>
        <source>Welcome! Enter your Novita API key to make real videos. Without a key the app runs in Demo mode against a built-in simulator.</source>
        <translation>欢迎！输入你的 Novita API 密钥即可生成真正的视频。没有密钥时，应用以演示模式运行，使用内置模拟器。</translation>
    </message>
    <message>
        <source>Queue and language</source>
        <translation>队列和语言</translation>
    </message>
    <message>
        <source>Jobs at Novita at once</source>
        <translation>同时提交到 Novita 的任务数</translation>
    </message>
    <message>
        <source>At most this many jobs are sent to Novita at the same time; the others wait in the app&apos;s queue ({low}–{high}, {default} unless changed).</source>
        <translation>最多同时向 Novita 发送这么多任务；其余任务在应用的队列中等待（{low}–{high}，默认 {default}）。</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The language of the window. Applies after a restart.</source>
        <translation>窗口显示的语言。重启后生效。</translation>
    </message>
    <message>
        <source>Applies after a restart.</source>
        <translation>重启后生效。</translation>
    </message>
    <message>
        <source>Language note</source>
        <translation>语言说明</translation>
    </message>
    <message>
        <source>Money (every figure is an estimate)</source>
        <translation>费用（所有数字均为估算）</translation>
    </message>
    <message>
        <source>Off-peak factor</source>
        <translation>错峰系数</translation>
    </message>
    <message>
        <source>Off-peak jobs cost this fraction of the price (0.5 is half price), but Novita may take up to 48 hours. Empty: the price table&apos;s {default}.</source>
        <translation>错峰任务的费用为原价乘以此系数（0.5 即半价），但 Novita 最长可能需要 48 小时。留空：使用价格表中的 {default}。</translation>
    </message>
    <message>
        <source>{resolution} $ per second</source>
        <translation>{resolution} 每秒价格（美元）</translation>
    </message>
    <message>
        <source>What a second of {resolution} video costs, in US dollars. Empty: the price table&apos;s ${default}.</source>
        <translation>{resolution} 视频每秒的费用（美元）。留空：使用价格表中的 ${default}。</translation>
    </message>
    <message>
        <source>Defaults from the price table shipped with the app, taken {date}. Novita publishes no price API.</source>
        <translation>默认值来自应用自带的价格表，采集于 {date}。Novita 没有公开价格 API。</translation>
    </message>
    <message>
        <source>Defaults from the price table shipped with the app. Novita publishes no price API.</source>
        <translation>默认值来自应用自带的价格表。Novita 没有公开价格 API。</translation>
    </message>
    <message>
        <source>Reset to defaults</source>
        <translation>恢复默认值</translation>
    </message>
    <message>
        <source>Forget your own rates and use the price table&apos;s</source>
        <translation>忘记你自己的价格，使用价格表中的价格</translation>
    </message>
    <message>
        <source>Reset prices to defaults</source>
        <translation>将价格恢复为默认值</translation>
    </message>
    <message>
        <source>Generate asks first when its estimate is above this ($5 unless changed).</source>
        <translation>估算费用高于此金额时，生成前会先询问（默认 $5）。</translation>
    </message>
    <message>
        <source>Ask before a Generate above</source>
        <translation>生成前询问，当费用超过</translation>
    </message>
    <message>
        <source>Monthly cap</source>
        <translation>每月上限</translation>
    </message>
    <message>
        <source>Use a monthly cap</source>
        <translation>使用每月上限</translation>
    </message>
    <message>
        <source>Generate refuses what would take this month&apos;s estimated spending past the cap.</source>
        <translation>如果本月估算花费将超过上限，将拒绝生成。</translation>
    </message>
    <message>
        <source>Money settings problem</source>
        <translation>费用设置问题</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Hide key</source>
        <translation>隐藏密钥</translation>
    </message>
    <message>
        <source>environment variable NOVITA_API_KEY</source>
        <translation>环境变量 NOVITA_API_KEY</translation>
    </message>
    <message>
        <source>system keyring</source>
        <translation>系统密钥环</translation>
    </message>
    <message>
        <source>this session only</source>
        <translation>仅限本次会话</translation>
    </message>
    <message>
        <source>A key is stored ({where}).</source>
        <translation>已保存密钥（{where}）。</translation>
    </message>
    <message>
        <source>No key stored: the app runs in Demo mode.</source>
        <translation>未保存密钥：应用以演示模式运行。</translation>
    </message>
    <message>
        <source>press Test</source>
        <translation>请点击“测试”</translation>
    </message>
    <message>
        <source>then Test</source>
        <translation>然后点击“测试”</translation>
    </message>
    <message>
        <source>The API key contains spaces, line breaks or unusual characters: copy it again from novita.ai.</source>
        <translation>API 密钥中包含空格、换行或异常字符：请从 novita.ai 重新复制。</translation>
    </message>
    <message>
        <source>Saving the key…</source>
        <translation>正在保存密钥…</translation>
    </message>
    <message>
        <source>Saved in the system keyring.</source>
        <translation>已保存到系统密钥环。</translation>
    </message>
    <message>
        <source>No system keyring is available: the key is kept for this session only and will be asked for again next time.</source>
        <translation>没有可用的系统密钥环：密钥仅在本次会话中保留，下次启动时会再次询问。</translation>
    </message>
    <message>
        <source>Type or paste a key first.</source>
        <translation>请先输入或粘贴密钥。</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>No key to test.</source>
        <translation>没有可测试的密钥。</translation>
    </message>
    <message>
        <source>The key works.</source>
        <translation>密钥可用。</translation>
    </message>
    <message>
        <source>Balance: {balance}.</source>
        <translation>余额：{balance}。</translation>
    </message>
    <message>
        <source>Key removed.</source>
        <translation>密钥已移除。</translation>
    </message>
</context>
<context>
    <name>SpendingDialog</name>
    <message>
        <source>Spending</source>
        <translation>花费</translation>
    </message>
    <message>
        <source>Estimated today</source>
        <translation>今日估算</translation>
    </message>
    <message>
        <source>Estimated this week</source>
        <translation>本周估算</translation>
    </message>
    <message>
        <source>Estimated this month</source>
        <translation>本月估算</translation>
    </message>
    <message>
        <source>Estimated from this app&apos;s jobs</source>
        <translation>根据本应用的任务估算</translation>
    </message>
    <message>
        <source>Each job keeps the estimate it had when it was sent; a job counts once Novita accepted it. Estimates, not Novita&apos;s figures.</source>
        <translation>每个任务保留其发送时的估算费用；任务被 Novita 接受后才计入。这些是估算值，并非 Novita 的账单数字。</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Charged today</source>
        <translation>今日实际扣费</translation>
    </message>
    <message>
        <source>Charged this month</source>
        <translation>本月实际扣费</translation>
    </message>
    <message>
        <source>About the charges</source>
        <translation>关于扣费</translation>
    </message>
    <message>
        <source>Charged, from Novita&apos;s hourly bill</source>
        <translation>实际扣费（来自 Novita 的每小时账单）</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Read the estimates and Novita&apos;s bill again</source>
        <translation>重新读取估算费用和 Novita 账单</translation>
    </message>
    <message>
        <source>No monthly cap (Settings → Money).</source>
        <translation>未设置每月上限（设置 → 费用）。</translation>
    </message>
    <message>
        <source>Monthly cap: {amount} (Generate refuses past it).</source>
        <translation>每月上限：{amount}（超出后将无法生成）。</translation>
    </message>
    <message>
        <source>reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>≈ {amount} (estimate)</source>
        <translation>≈ {amount}（估算）</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) of this month from before the app kept estimates are not in these totals.</source>
        <translation>
            <numerusform>本月有 %n 个任务早于本应用开始记录估算费用，未计入以上合计。</numerusform>
        </translation>
    </message>
    <message>
        <source>Novita&apos;s bill has no charges this app can read</source>
        <translation>Novita 的账单中没有本应用能读取的扣费记录</translation>
    </message>
    <message>
        <source>Novita&apos;s bill has no lines for this month yet</source>
        <translation>Novita 的账单中还没有本月的记录</translation>
    </message>
    <message>
        <source>Image and video generation (gen_api), by the hour, as Novita bills it.</source>
        <translation>图片和视频生成（gen_api），按小时统计，与 Novita 的计费方式一致。</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) without an amount left out.</source>
        <translation>
            <numerusform>已略去 %n 条没有金额的记录。</numerusform>
        </translation>
    </message>
    <message>
        <source>Demo mode: pretend money.</source>
        <translation>演示模式：金额均为模拟。</translation>
    </message>
    <message>
        <source>not available</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>Actual charges are not available ({why}). The estimates above still are.</source>
        <translation>无法获取实际扣费（{why}）。以上估算仍然可用。</translation>
    </message>
</context>
<context>
    <name>VideoPlayer</name>
    <message>
        <source>Finished videos play here</source>
        <translation>生成完成的视频在这里播放</translation>
    </message>
    <message>
        <source>Video playback is unavailable on this system (Qt Multimedia is missing).</source>
        <translation>此系统无法播放视频（缺少 Qt Multimedia）。</translation>
    </message>
    <message>
        <source>Video playback is unavailable on this system (Qt Multimedia has no working media backend).</source>
        <translation>此系统无法播放视频（Qt Multimedia 没有可用的媒体后端）。</translation>
    </message>
    <message>
        <source>Playing full screen. Press Esc to come back.</source>
        <translation>正在全屏播放。按 Esc 返回。</translation>
    </message>
    <message>
        <source>Play again from the start when the video ends</source>
        <translation>视频结束后从头重新播放</translation>
    </message>
    <message>
        <source>the file could not be opened or is not a video</source>
        <translation>文件无法打开，或不是视频</translation>
    </message>
    <message>
        <source>its format is not supported</source>
        <translation>不支持其格式</translation>
    </message>
    <message>
        <source>a network error occurred</source>
        <translation>发生了网络错误</translation>
    </message>
    <message>
        <source>permission to read it was denied</source>
        <translation>没有读取权限</translation>
    </message>
    <message>
        <source>an unknown error occurred</source>
        <translation>发生了未知错误</translation>
    </message>
    <message>
        <source>This video could not be played: {reason}.</source>
        <translation>无法播放此视频：{reason}。</translation>
    </message>
    <message>
        <source>Video player</source>
        <translation>视频播放器</translation>
    </message>
    <message>
        <source>Space plays or pauses, Left and Right jump 5 seconds, F11 or a double-click shows it full screen</source>
        <translation>空格键播放或暂停，左右方向键跳转 5 秒，按 F11 或双击可全屏显示</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <source>Double-click or F11: full screen. Drag the video to a folder to copy it.</source>
        <translation>双击或按 F11：全屏。将视频拖到文件夹即可复制。</translation>
    </message>
    <message>
        <source>Video status</source>
        <translation>视频状态</translation>
    </message>
    <message>
        <source>Seek (Left/Right: 5 seconds)</source>
        <translation>跳转（左/右方向键：5 秒）</translation>
    </message>
    <message>
        <source>Seek</source>
        <translation>跳转</translation>
    </message>
    <message>
        <source>Elapsed / total time</source>
        <translation>已播放 / 总时长</translation>
    </message>
    <message>
        <source>Elapsed and total time</source>
        <translation>已播放时间和总时长</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>音量</translation>
    </message>
    <message>
        <source>Loop</source>
        <translation>循环播放</translation>
    </message>
    <message>
        <source>Use this frame</source>
        <translation>使用此画面</translation>
    </message>
    <message>
        <source>Add the picture shown now as a new image, to make a video that starts from it</source>
        <translation>将当前显示的画面添加为新图片，用它生成一段从此画面开始的视频</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>全屏</translation>
    </message>
    <message>
        <source>Show the video full screen (F11; Esc comes back)</source>
        <translation>全屏显示视频（F11；按 Esc 返回）</translation>
    </message>
    <message>
        <source>Leave full screen</source>
        <translation>退出全屏</translation>
    </message>
    <message>
        <source>This video could not be played: the file “{name}” was not found.</source>
        <translation>无法播放此视频：找不到文件“{name}”。</translation>
    </message>
    <message>
        <source>Pause (Space)</source>
        <translation>暂停（空格键）</translation>
    </message>
    <message>
        <source>Play (Space)</source>
        <translation>播放（空格键）</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation>取消静音</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
</context>
<context>
    <name>VideoSettings</name>
    <message>
        <source>Speech and sound effects</source>
        <translation>人声和音效</translation>
    </message>
    <message>
        <source>Speech only</source>
        <translation>仅人声</translation>
    </message>
    <message>
        <source>Sound effects only</source>
        <translation>仅音效</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>silent</source>
        <translation>无声音</translation>
    </message>
    <message>
        <source>seed {seed}</source>
        <translation>种子 {seed}</translation>
    </message>
    <message>
        <source>sound follows motion</source>
        <translation>声音跟随画面动作</translation>
    </message>
    <message>
        <source>off-peak</source>
        <translation>错峰</translation>
    </message>
    <message>
        <source>sound</source>
        <translation>有声音</translation>
    </message>
    <message>
        <source>speech only</source>
        <translation>仅人声</translation>
    </message>
    <message>
        <source>sound effects only</source>
        <translation>仅音效</translation>
    </message>
</context>
<context>
    <name>WrapAnywhereLabel</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>log folder</source>
        <translation>日志文件夹</translation>
    </message>
    <message>
        <source>data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>未做任何更改。</translation>
    </message>
    <message>
        <source>{app} is already running but does not answer.</source>
        <translation>{app} 已在运行，但没有响应。</translation>
    </message>
    <message>
        <source>a file is in the way ({blocker})</source>
        <translation>该位置被一个文件占用（{blocker}）</translation>
    </message>
    <message>
        <source>a file is in the way</source>
        <translation>该位置被一个文件占用</translation>
    </message>
    <message>
        <source>{app} cannot use its {what} {folder}: {reason}.</source>
        <translation>{app} 无法使用其{what} {folder}：{reason}。</translation>
    </message>
</context>
<context>
    <name>batch</name>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>Row {row}</source>
        <translation>第 {row} 行</translation>
    </message>
    <message>
        <source>column {column}</source>
        <translation>{column} 列</translation>
    </message>
    <message>
        <source>{place}: {problem}</source>
        <translation>{place}：{problem}</translation>
    </message>
    <message>
        <source>{name}: cannot be read ({error}).</source>
        <translation>{name}：无法读取（{error}）。</translation>
    </message>
    <message>
        <source>{name}: more than {limit} files; only the first ones were looked at.</source>
        <translation>{name}：文件超过 {limit} 个；只查看了前面的部分。</translation>
    </message>
    <message>
        <source>{name}: {count} images; only the first {limit} were taken.</source>
        <translation>{name}：共 {count} 张图片；只取了前 {limit} 张。</translation>
    </message>
    <message>
        <source>{name}: not a regular file; the form&apos;s prompt is used.</source>
        <translation>{name}：不是普通文件；将使用表单中的提示词。</translation>
    </message>
    <message>
        <source>{name}: cannot be read ({error}); the form&apos;s prompt is used.</source>
        <translation>{name}：无法读取（{error}）；将使用表单中的提示词。</translation>
    </message>
    <message>
        <source>{name}: more than {limit}, too long for a prompt; the form&apos;s prompt is used.</source>
        <translation>{name}：超过 {limit}，作为提示词太长；将使用表单中的提示词。</translation>
    </message>
    <message>
        <source>{name}: not UTF-8 text; the form&apos;s prompt is used.</source>
        <translation>{name}：不是 UTF-8 文本；将使用表单中的提示词。</translation>
    </message>
    <message>
        <source>{name}: not a text file; the form&apos;s prompt is used.</source>
        <translation>{name}：不是文本文件；将使用表单中的提示词。</translation>
    </message>
    <message>
        <source>{name}: the prompt is {length} characters long; the limit is {limit}. The form&apos;s prompt is used.</source>
        <translation>{name}：提示词长 {length} 个字符，上限为 {limit}。将使用表单中的提示词。</translation>
    </message>
    <message>
        <source>{name}: not a regular file.</source>
        <translation>{name}：不是普通文件。</translation>
    </message>
    <message>
        <source>{name}: more than {limit}; split it into smaller batch files.</source>
        <translation>{name}：超过 {limit}；请拆分为较小的批量文件。</translation>
    </message>
    <message>
        <source>{name}: not readable text.</source>
        <translation>{name}：不是可读取的文本。</translation>
    </message>
    <message>
        <source>there is no header row; the first row must name the columns, starting with image (the columns: {columns}).</source>
        <translation>没有表头行；第一行必须写出各列的名称，并以 image（图片）列开头（可用的列：{columns}）。</translation>
    </message>
    <message>
        <source>this column appears twice; the first one is used.</source>
        <translation>此列出现了两次；将使用第一列。</translation>
    </message>
    <message>
        <source>there is no column called {name}; the columns are {columns}.</source>
        <translation>没有名为 {name} 的列；可用的列为 {columns}。</translation>
    </message>
    <message>
        <source>this and later header cells ({count} in all) are not columns of a batch file.</source>
        <translation>此列及其后的表头单元格（共 {count} 个）都不是批处理文件的列。</translation>
    </message>
    <message>
        <source>the header row has no column image (which image each row is for).</source>
        <translation>表头行中没有 image 列（用于指明每行对应哪张图片）。</translation>
    </message>
    <message>
        <source>more than {limit} images in one batch file; this row and the ones after it were not read.</source>
        <translation>一个批量文件中的图片超过 {limit} 张；此行及其后的行未被读取。</translation>
    </message>
    <message>
        <source>this row cannot be read (a cell longer than the {limit} characters allowed, or broken quotes); the rest of the file was not read.</source>
        <translation>无法读取此行（某个单元格超过允许的 {limit} 个字符，或引号不完整）；文件的其余部分未被读取。</translation>
    </message>
    <message>
        <source>a cell is longer than the {limit} characters allowed; the rest of the file was not read.</source>
        <translation>某个单元格超过允许的 {limit} 个字符；文件的其余部分未被读取。</translation>
    </message>
    <message>
        <source>this row has {count} cells; a batch file has at most {limit} columns, so the row was not read.</source>
        <translation>此行有 {count} 个单元格；批处理文件最多 {limit} 列，因此未读取此行。</translation>
    </message>
    <message>
        <source>a value in a column without a name in the header row.</source>
        <translation>某个值所在的列在表头行中没有名称。</translation>
    </message>
    <message>
        <source>no image given.</source>
        <translation>未指定图片。</translation>
    </message>
    <message>
        <source>{name}: not a usable link ({problem}).</source>
        <translation>{name}：不是可用的链接（{problem}）。</translation>
    </message>
    <message>
        <source>{name}: no such file (it is a folder).</source>
        <translation>{name}：没有此文件（这是一个文件夹）。</translation>
    </message>
    <message>
        <source>{name}: no such file.</source>
        <translation>{name}：没有此文件。</translation>
    </message>
    <message>
        <source>{name}: not a usable file path.</source>
        <translation>{name}：不是可用的文件路径。</translation>
    </message>
    <message>
        <source>this is not text: it holds control characters.</source>
        <translation>这不是文本：其中含有控制字符。</translation>
    </message>
    <message>
        <source>{name} row {row}</source>
        <translation>{name} 第 {row} 行</translation>
    </message>
    <message>
        <source>more than {limit} images at once; the rest were not taken.</source>
        <translation>一次超过 {limit} 张图片；其余的未被添加。</translation>
    </message>
    <message>
        <source>{name}: only the first {count} images were taken.</source>
        <translation>{name}：只添加了前 {count} 张图片。</translation>
    </message>
    <message>
        <source>{name}: no JPEG, PNG or WebP images in this folder or its subfolders.</source>
        <translation>{name}：此文件夹及其子文件夹中没有 JPEG、PNG 或 WebP 图片。</translation>
    </message>
    <message>
        <source>{name}: no JPEG, PNG or WebP images in this folder.</source>
        <translation>{name}：此文件夹中没有 JPEG、PNG 或 WebP 图片。</translation>
    </message>
    <message>
        <source>{name}: no such file or folder.</source>
        <translation>{name}：没有此文件或文件夹。</translation>
    </message>
</context>
<context>
    <name>engine</name>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>it is not an image</source>
        <translation>这不是图片</translation>
    </message>
    <message>
        <source>The job list is not open, so nothing was sent.</source>
        <translation>任务列表未打开，因此没有发送任何内容。</translation>
    </message>
    <message>
        <source>Not sent: {refusal} Change the cap in Settings.</source>
        <translation>未发送：{refusal} 可在“设置”中更改上限。</translation>
    </message>
    <message>
        <source>{left} of {count} job(s) could not be recorded, so they were not sent: {reason}</source>
        <translation>{count} 个任务中有 {left} 个无法记录，因此未发送：{reason}</translation>
    </message>
    <message>
        <source>A job is being sent to Novita right now, so it was kept: once Novita answers, it can be deleted (its video would be charged either way).</source>
        <translation>有一个任务正在发送到 Novita，因此已保留：Novita 回应后即可删除（无论如何其视频都会计费）。</translation>
    </message>
    <message>
        <source>Novita asked to slow down; sending again in {seconds} s.</source>
        <translation>Novita 要求放慢速度；将在 {seconds} 秒后重新发送。</translation>
    </message>
    <message>
        <source>The disk holding {folder} is full. Downloads are paused and carry on by themselves when space is free.</source>
        <translation>存放 {folder} 的磁盘已满。下载已暂停，有空闲空间后会自动继续。</translation>
    </message>
    <message>
        <source>Paused: the disk is full. The download carries on when space is free.</source>
        <translation>已暂停：磁盘已满。有空闲空间后下载会继续。</translation>
    </message>
    <message>
        <source>The connection is very slow; the download carries on from where it stopped in {minutes} minutes.</source>
        <translation>连接非常慢；下载将在 {minutes} 分钟后从中断处继续。</translation>
    </message>
    <message>
        <source>Could not pause the queue: {reason}</source>
        <translation>无法暂停队列：{reason}</translation>
    </message>
    <message>
        <source>Could not resume the queue: {reason}</source>
        <translation>无法恢复队列：{reason}</translation>
    </message>
    <message>
        <source>{count} of these jobs were already sent to Novita and cannot be cancelled: Novita&apos;s API has no way to stop a task, so it runs to its end and is charged. Its video is still saved.</source>
        <translation>其中 {count} 个任务已发送到 Novita，无法取消：Novita 的 API 无法停止任务，因此它会运行到结束并扣费。其视频仍会保存。</translation>
    </message>
    <message>
        <source>{count} of these jobs were already sent to Novita and cannot be cancelled: Novita&apos;s API has no way to stop a task, so they run to their end and are charged. Their videos are still saved.</source>
        <translation>其中 {count} 个任务已发送到 Novita，无法取消：Novita 的 API 无法停止任务，因此它们会运行到结束并扣费。其视频仍会保存。</translation>
    </message>
    <message>
        <source>Could not change the queue&apos;s order: {reason}</source>
        <translation>无法更改队列顺序：{reason}</translation>
    </message>
    <message>
        <source>{name}: could not be added ({reason}).</source>
        <translation>{name}：无法添加（{reason}）。</translation>
    </message>
    <message>
        <source>{name}: the job list is not open.</source>
        <translation>{name}：任务列表未打开。</translation>
    </message>
    <message>
        <source>{name}: there is no such file.</source>
        <translation>{name}：没有此文件。</translation>
    </message>
    <message>
        <source>{name}: not a complete MP4 video.</source>
        <translation>{name}：不是完整的 MP4 视频。</translation>
    </message>
    <message>
        <source>{name}: it carries no Vidu Desktop details (made elsewhere?), so it was not added.</source>
        <translation>{name}：其中没有 Vidu Desktop 的信息（可能由其他程序生成？），因此未添加。</translation>
    </message>
    <message>
        <source>{name}: already in the job list.</source>
        <translation>{name}：已在任务列表中。</translation>
    </message>
    <message>
        <source>imported from {name}</source>
        <translation>导入自 {name}</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>the connection dropped</source>
        <extracomment>Whether doing the same thing again later may work (reads only; never a blind re-submit). Where a Novita account is topped up (its billing page).</extracomment>
        <translation>连接中断了</translation>
    </message>
    <message>
        <source>No API key was sent. Add your Novita API key in Settings.</source>
        <translation>未发送 API 密钥。请在“设置”中添加你的 Novita API 密钥。</translation>
    </message>
    <message>
        <source>Novita did not accept the API key. Check it in Settings (copy it again from novita.ai → Key Management).</source>
        <translation>Novita 未接受此 API 密钥。请在“设置”中检查（从 novita.ai → Key Management 重新复制）。</translation>
    </message>
    <message>
        <source>Your Novita account needs identity verification before it can use this API. Finish it on novita.ai, then press Retry.</source>
        <translation>你的 Novita 账户需要先完成实名认证才能使用此 API。请在 novita.ai 上完成认证，然后点击“重试”。</translation>
    </message>
    <message>
        <source>Your Novita account may not use this API. Check your plan on novita.ai.</source>
        <translation>你的 Novita 账户无权使用此 API。请在 novita.ai 上查看你的套餐。</translation>
    </message>
    <message>
        <source>Novita refused the image as too large. Use a smaller image.</source>
        <translation>Novita 拒绝了该图片：文件太大。请使用更小的图片。</translation>
    </message>
    <message>
        <source>Novita refused the image format. Use a JPEG, PNG or WebP image.</source>
        <translation>Novita 不接受该图片格式。请使用 JPEG、PNG 或 WebP 图片。</translation>
    </message>
    <message>
        <source>Novita&apos;s content check refused the prompt. Reword it and try again.</source>
        <translation>提示词未通过 Novita 的内容审核。请修改措辞后重试。</translation>
    </message>
    <message>
        <source>Novita&apos;s content check refused the image. Try another image.</source>
        <translation>图片未通过 Novita 的内容审核。请换一张图片。</translation>
    </message>
    <message>
        <source>Novita does not know this job (unknown task id). It may belong to another account or have expired.</source>
        <translation>Novita 找不到此任务（未知的任务 ID）。它可能属于其他账户，或已过期。</translation>
    </message>
    <message>
        <source>Novita refused the API key or the account. Check the key in Settings.</source>
        <translation>Novita 拒绝了此 API 密钥或账户。请在“设置”中检查密钥。</translation>
    </message>
    <message>
        <source>Your Novita balance is too low for this job, so it was not started and nothing was charged — top up at novita.ai ({url}), then press Retry.</source>
        <translation>你的 Novita 余额不足以完成此任务，因此任务未开始，也未扣费。请在 novita.ai 充值（{url}），然后点击“重试”。</translation>
    </message>
    <message>
        <source>Novita refused a setting ({detail}). Change it and try again.</source>
        <translation>Novita 拒绝了某项设置（{detail}）。请修改后重试。</translation>
    </message>
    <message>
        <source>Novita refused a setting. Change it and try again.</source>
        <translation>Novita 拒绝了某项设置。请修改后重试。</translation>
    </message>
    <message>
        <source>Novita&apos;s content check refused this job. Try another prompt or image.</source>
        <translation>此任务未通过 Novita 的内容审核。请换一个提示词或图片。</translation>
    </message>
    <message>
        <source>Novita is limiting requests. Wait about {seconds} s, then try again.</source>
        <translation>Novita 正在限制请求频率。请等待约 {seconds} 秒后重试。</translation>
    </message>
    <message>
        <source>Novita is limiting requests. Wait a moment, then try again.</source>
        <translation>Novita 正在限制请求频率。请稍等片刻后重试。</translation>
    </message>
    <message>
        <source>Novita could not find what was asked for ({detail}).</source>
        <translation>Novita 找不到所请求的内容（{detail}）。</translation>
    </message>
    <message>
        <source>Novita could not find what was asked for.</source>
        <translation>Novita 找不到所请求的内容。</translation>
    </message>
    <message>
        <source>The video link expired. Press Retry to fetch a fresh one.</source>
        <translation>视频链接已过期。点击“重试”获取新链接。</translation>
    </message>
    <message>
        <source>Novita had a problem on its side ({detail}). Try again in a few minutes.</source>
        <translation>Novita 服务端出现问题（{detail}）。请几分钟后重试。</translation>
    </message>
    <message>
        <source>Novita had a problem on its side. Try again in a few minutes.</source>
        <translation>Novita 服务端出现问题。请几分钟后重试。</translation>
    </message>
    <message>
        <source>Novita did not answer in time (a slow or stuck connection). Try again in a few minutes.</source>
        <translation>Novita 未能及时响应（连接缓慢或卡住）。请几分钟后重试。</translation>
    </message>
    <message>
        <source>Could not reach Novita. Check your internet connection, then press Retry.</source>
        <translation>无法连接到 Novita。请检查网络连接，然后点击“重试”。</translation>
    </message>
    <message>
        <source>Novita answered something unexpected. Try again in a few minutes.</source>
        <translation>Novita 返回了意外的响应。请几分钟后重试。</translation>
    </message>
    <message>
        <source>The job was sent, but {cause}, so it may or may not have started (and been charged). Check your Novita dashboard before retrying.</source>
        <translation>任务已发送，但{cause}，因此无法确定任务是否已开始（以及是否已扣费）。重试前请先查看你的 Novita 控制台。</translation>
    </message>
    <message>
        <source>Novita could not make this video: {reason}.</source>
        <translation>Novita 无法生成此视频：{reason}。</translation>
    </message>
    <message>
        <source>Novita could not make this video: no reason given.</source>
        <translation>Novita 无法生成此视频：未提供原因。</translation>
    </message>
    <message>
        <source>The download was stopped because it was too slow ({detail}). What arrived is kept: Retry resumes from there.</source>
        <translation>下载速度过慢，已停止（{detail}）。已下载的部分会保留：点击“重试”将从中断处继续。</translation>
    </message>
    <message>
        <source>The download was stopped: {detail}. A video from Novita is never that big; try again later, and tell Novita support if it happens again.</source>
        <translation>下载已停止：{detail}。Novita 的视频不会这么大；请稍后重试，如果再次出现，请联系 Novita 客服。</translation>
    </message>
    <message>
        <source>The video could not be downloaded completely. Press Retry.</source>
        <translation>视频未能完整下载。请点击“重试”。</translation>
    </message>
    <message>
        <source>Stopped because the app was closing.</source>
        <translation>应用正在关闭，已停止。</translation>
    </message>
    <message>
        <source>The video could not be saved: {detail}. Free some space or choose another library folder in Settings, then press Retry.</source>
        <translation>无法保存视频：{detail}。请释放一些磁盘空间，或在“设置”中选择其他视频库文件夹，然后点击“重试”。</translation>
    </message>
    <message>
        <source>A file could not be read or written: {detail}.</source>
        <translation>无法读取或写入文件：{detail}。</translation>
    </message>
    <message>
        <source>Something went wrong. The details are in the log (Help → Open log folder).</source>
        <translation>出错了。详细信息见日志（帮助 → 打开日志文件夹）。</translation>
    </message>
    <message>
        <source>the answer was cut off</source>
        <translation>回复被截断了</translation>
    </message>
    <message>
        <source>Novita answered with an error (HTTP {status}) instead of a task id</source>
        <translation>Novita 返回了错误（HTTP {status}），而不是任务 ID</translation>
    </message>
    <message>
        <source>its answer could not be read</source>
        <translation>无法读取其回复</translation>
    </message>
    <message>
        <source>Novita answered HTTP {status} instead of a task id</source>
        <translation>Novita 返回了 HTTP {status}，而不是任务 ID</translation>
    </message>
    <message>
        <source>its answer carried no usable task id</source>
        <translation>其回复中没有可用的任务 ID</translation>
    </message>
    <message>
        <source>no answer came within {seconds} s</source>
        <translation>{seconds} 秒内没有收到回复</translation>
    </message>
    <message>
        <source>the app stopped waiting for the answer</source>
        <translation>应用停止了等待回复</translation>
    </message>
    <message>
        <source>no answer came in time</source>
        <translation>未能及时收到回复</translation>
    </message>
</context>
<context>
    <name>format_size</name>
    <message>
        <source>more than 1 PB</source>
        <translation>超过 1 PB</translation>
    </message>
    <message>
        <source>{count} bytes</source>
        <translation>{count} 字节</translation>
    </message>
</context>
<context>
    <name>images</name>
    <message>
        <source>it is damaged and could not be read</source>
        <translation>图片已损坏，无法读取</translation>
    </message>
    <message>
        <source>pasted image</source>
        <translation>粘贴的图片</translation>
    </message>
    <message>
        <source>it is a folder, not an image file</source>
        <translation>这是一个文件夹，不是图片文件</translation>
    </message>
    <message>
        <source>it is a named pipe, not an image file</source>
        <translation>这是一个命名管道，不是图片文件</translation>
    </message>
    <message>
        <source>it is a device, not an image file</source>
        <translation>这是一个设备，不是图片文件</translation>
    </message>
    <message>
        <source>it is a socket, not an image file</source>
        <translation>这是一个套接字，不是图片文件</translation>
    </message>
    <message>
        <source>it is a link to something that is not there</source>
        <translation>这是一个指向不存在目标的链接</translation>
    </message>
    <message>
        <source>it is not a regular file</source>
        <translation>这不是普通文件</translation>
    </message>
    <message>
        <source>it could not be held for checking ({error})</source>
        <translation>无法暂存以供检查（{error}）</translation>
    </message>
    <message>
        <source>it is damaged (the decoder reports: {complaint})</source>
        <translation>图片已损坏（解码器报告：{complaint}）</translation>
    </message>
    <message>
        <source>it could not be read ({error})</source>
        <translation>无法读取（{error}）</translation>
    </message>
    <message>
        <source>it is damaged: {damage}</source>
        <translation>图片已损坏：{damage}</translation>
    </message>
    <message>
        <source>it is {size}, more than the {limit} allowed</source>
        <translation>大小为 {size}，超过允许的 {limit}</translation>
    </message>
    <message>
        <source>it is an animated {format} ({frames} frames): only its still picture is sent, not the animation</source>
        <translation>这是动态 {format}（{frames} 帧）：只发送其静态画面，不发送动画</translation>
    </message>
    <message>
        <source>it is an animated {format} ({frames} frames): only the first frame is sent</source>
        <translation>这是动态 {format}（{frames} 帧）：只发送第一帧</translation>
    </message>
    <message>
        <source>it is {width}×{height} pixels, more than the {megapixels} megapixels a PNG may have here</source>
        <translation>尺寸为 {width}×{height} 像素，超过此处 PNG 允许的 {megapixels} 百万像素</translation>
    </message>
    <message>
        <source>progressive JPEG</source>
        <translation>渐进式 JPEG</translation>
    </message>
    <message>
        <source>interlaced PNG</source>
        <translation>隔行扫描 PNG</translation>
    </message>
    <message>
        <source>it is a {width}×{height} {kind}, too big to open here (it would take {need} of memory, more than {budget}); a smaller copy or a plain JPEG or PNG can be used</source>
        <translation>这是一张 {width}×{height} 的{kind}，太大，无法在此打开（需要 {need} 内存，超过 {budget}）；可以改用较小的副本或普通 JPEG、PNG</translation>
    </message>
    <message>
        <source>first of {frames} frames</source>
        <translation>{frames} 帧中的第一帧</translation>
    </message>
    <message>
        <source>still picture of an animation</source>
        <translation>动画的静态画面</translation>
    </message>
    <message>
        <source>downscaled {width}×{height} → {sent_width}×{sent_height}</source>
        <translation>已缩小 {width}×{height} → {sent_width}×{sent_height}</translation>
    </message>
    <message>
        <source>rotated upright</source>
        <translation>已旋转为正向</translation>
    </message>
    <message>
        <source>re-encoded as {format}</source>
        <translation>已重新编码为 {format}</translation>
    </message>
    <message>
        <source>{name} could not be made small enough to send: even at {width}×{height} it takes {size}, more than the {limit} allowed for an uploaded image.</source>
        <translation>{name} 无法缩小到可以发送的大小：即使缩小到 {width}×{height}，仍有 {size}，超过上传图片允许的 {limit}。</translation>
    </message>
    <message>
        <source>The image could not be encoded as {format} ({error}).</source>
        <translation>无法将图片编码为 {format}（{error}）。</translation>
    </message>
    <message>
        <source>{list} and {last}</source>
        <translation>{list}，且{last}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
</context>
<context>
    <name>pricing</name>
    <message>
        <source>more than $1,000,000,000,000</source>
        <extracomment>The keys an overrides mapping may hold: one rate (USD per second) per resolution, and the factor. What format_usd shows for an amount it cannot show (None, not a number).</extracomment>
        <translation>超过 $1,000,000,000,000</translation>
    </message>
    <message>
        <source>less than -$1,000,000,000,000</source>
        <translation>低于 -$1,000,000,000,000</translation>
    </message>
    <message>
        <source>A rate must be a number of dollars per second, such as 0.039.</source>
        <translation>费率必须是每秒的美元金额，例如 0.039。</translation>
    </message>
    <message>
        <source>A rate must be from $0 to ${limit} per second.</source>
        <translation>费率必须在每秒 $0 到 ${limit} 之间。</translation>
    </message>
    <message>
        <source>The off-peak factor must be a number above 0 and at most 1 (0.5 is half price).</source>
        <translation>错峰系数必须是大于 0 且不超过 1 的数（0.5 即半价）。</translation>
    </message>
    <message>
        <source>Unknown price setting {name}; known: {known}.</source>
        <translation>未知的价格设置 {name}；已知的有：{known}。</translation>
    </message>
    <message>
        <source>≈ {total} more would take this month past your monthly cap of {cap} (≈ {spent} spent so far, estimate).</source>
        <extracomment>The keys (of OVERRIDE_KEYS) whose value is the user&apos;s, not the shipped table&apos;s.</extracomment>
        <translation>再花费 ≈ {total} 将使本月超出每月上限 {cap}（目前已花费 ≈ {spent}，估算）。</translation>
    </message>
</context>
<context>
    <name>request</name>
    <message>
        <source>{problem} The default was used.</source>
        <translation>{problem}已使用默认值。</translation>
    </message>
    <message>
        <source>The prompt is {length} characters long; the limit is {limit}.</source>
        <translation>提示词长 {length} 个字符，上限为 {limit}。</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>文件是空的</translation>
    </message>
    <message>
        <source>it is {size}, more than the {limit} allowed</source>
        <translation>大小为 {size}，超过允许的 {limit}</translation>
    </message>
    <message>
        <source>it is not a JPEG, PNG or WebP image</source>
        <translation>不是 JPEG、PNG 或 WebP 图片</translation>
    </message>
    <message>
        <source>it has no pixels</source>
        <translation>没有任何像素</translation>
    </message>
    <message>
        <source>its shape ({width}×{height}) is outside the allowed 1:4 to 4:1 aspect ratio</source>
        <translation>其形状（{width}×{height}）超出允许的 1:4 到 4:1 宽高比</translation>
    </message>
    <message>
        <source>the link is {length} characters long; the limit is {limit}</source>
        <translation>链接长 {length} 个字符；上限为 {limit}</translation>
    </message>
    <message>
        <source>the link holds spaces, line breaks or control characters</source>
        <translation>链接中含有空格、换行或控制字符</translation>
    </message>
    <message>
        <source>the link cannot be read</source>
        <translation>无法解析该链接</translation>
    </message>
    <message>
        <source>the link must start with http:// or https://</source>
        <translation>链接必须以 http:// 或 https:// 开头</translation>
    </message>
    <message>
        <source>the link names no server</source>
        <translation>链接中没有服务器地址</translation>
    </message>
    <message>
        <source>the link holds a user name or password; use a link without them</source>
        <translation>链接中含有用户名或密码；请使用不含它们的链接</translation>
    </message>
    <message>
        <source>Duration must be a whole number of seconds from {low} to {high}.</source>
        <translation>时长必须是 {low} 到 {high} 之间的整数秒。</translation>
    </message>
    <message>
        <source>Seed must be a whole number from {low} to {high} (0 picks one at random).</source>
        <translation>种子必须是 {low} 到 {high} 之间的整数（0 表示随机选取）。</translation>
    </message>
    <message>
        <source>The prompt must be text.</source>
        <translation>提示词必须是文本。</translation>
    </message>
    <message>
        <source>{setting} must be one of {choices}.</source>
        <translation>{setting}必须是以下之一：{choices}。</translation>
    </message>
    <message>
        <source>{setting} must be on or off.</source>
        <translation>{setting}必须为开或关。</translation>
    </message>
    <message>
        <source>Resolution</source>
        <extracomment>One check per field, in the order of the fields: &quot;&quot; when the value is acceptable.</extracomment>
        <translation>分辨率</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>声音</translation>
    </message>
    <message>
        <source>Audio type</source>
        <translation>声音类型</translation>
    </message>
    <message>
        <source>Audio following the motion</source>
        <translation>声音跟随画面动作</translation>
    </message>
    <message>
        <source>Off-peak</source>
        <translation>错峰</translation>
    </message>
    <message>
        <source>There is no setting called {name}.</source>
        <translation>没有名为 {name} 的设置。</translation>
    </message>
    <message>
        <source>The image: {problem}.</source>
        <translation>图片：{problem}。</translation>
    </message>
    <message>
        <source>it is missing</source>
        <translation>缺少图片</translation>
    </message>
    <message>
        <source>it must be an http(s) link or a base64 data URI</source>
        <translation>必须是 http(s) 链接或 base64 数据 URI</translation>
    </message>
    <message>
        <source>its base64 data is damaged</source>
        <translation>其 base64 数据已损坏</translation>
    </message>
    <message>
        <source>it is labelled {label} but contains {content}</source>
        <translation>标记为 {label}，但实际内容是 {content}</translation>
    </message>
</context>
</TS>
