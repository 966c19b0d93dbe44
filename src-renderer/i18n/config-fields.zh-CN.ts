/** 每个训练配置字段的简体中文说明，按点分路径索引：它做什么，什么时候有用。 */
import type { FieldTexts } from './config-fields.en';

function optimizer(net: 'G' | 'D'): FieldTexts {
  const who = net === 'G' ? '生成器' : '判别器';
  const p = net === 'G' ? 'optimizerG' : 'optimizerD';
  return {
    [`${p}.type`]: {
      label: `${net} 优化器`,
      what: `${who}的更新规则：Adam 为每个权重保留动量和尺度；RMSProp 只保留尺度；SGD 两者都没有（除非设置了动量）。`,
      when: 'Adam 适合 DCGAN、LSGAN、hinge 和 WGAN-GP。带权重裁剪的原始 WGAN 按 RMSProp 设计，因为动量会让被裁剪的判别器不稳定（文章 §五）。',
    },
    [`${p}.lr`]: {
      label: `${net} 学习率`,
      what: `每一步${who}权重移动的幅度。`,
      when:
        net === 'G'
          ? '过大会震荡甚至发散，过小则训练太慢（文章 §五）。DCGAN 用 2e-4；损失剧烈摆动或出现 NaN 时调低（1e-4、5e-5）。'
          : '给判别器单独的学习率即 TTUR（双时间尺度更新）。配合谱归一化和 hinge 损失时，判别器更快（如 4e-4，生成器 1e-4）有帮助；判别器压制生成器时则调慢判别器。',
    },
    [`${p}.beta1`]: {
      label: `${net} Adam β1`,
      what: 'Adam 保留多少上一步的梯度方向（动量）。',
      when: 'GAN 通常需要比平常更小的动量：DCGAN 用 0.5，WGAN-GP 和 SNGAN 用 0 或 0.5。常规的 0.9 容易让两个网络互相追逐（文章 §五）。',
    },
    [`${p}.beta2`]: {
      label: `${net} Adam β2 / RMSProp 衰减`,
      what: 'Adam（或 RMSProp）在缩放每一步时对过去梯度大小的记忆长度。',
      when: '默认 0.999；WGAN-GP 和 SNGAN 用 0.9，让尺度更快跟上不断变化的判别器。',
    },
    [`${p}.momentum`]: {
      label: `${net} 动量`,
      what: 'SGD 和 RMSProp 的动量（Adam 忽略它，由 β1 起同样作用）。',
      when: 'WGAN 配 RMSProp 时保持 0；在简单数据上 0.9 可以加快 SGD。',
    },
    [`${p}.schedule`]: {
      label: `${net} 学习率调度`,
      what: '学习率在训练中如何变化：恒定、线性衰减到 0，或余弦衰减到 0。',
      when: '长时间训练时衰减能让网络收敛、样本更清晰；探索参数时保持恒定。',
    },
    [`${p}.gradClip`]: {
      label: `${net} 梯度裁剪`,
      what: `当${who}梯度的整体范数超过此值时按比例缩小（0 = 关闭）。`,
      when: '防止梯度尖峰打乱训练或产生 NaN；取梯度范数图中正常值的几倍。',
    },
  };
}

function augmentP(name: string, label: string, what: string): FieldTexts {
  return {
    [`augment.${name}.p`]: {
      label: `${label}：概率`,
      what: `每张真实图像被施加${what}的概率。`,
      when: '传统数据增强能扩充小数据集（文章 §四），但判别器把增强后的图像当作真实图像，生成器可能学会生成它们。对改变外观的变换，保持较低概率或改用 DiffAugment/ADA。',
    },
  };
}

export const configFieldsZhCN: FieldTexts = {
  seed: {
    label: '随机种子',
    what: '决定所有随机抽样：初始权重、噪声、批次顺序以及样本网格使用的固定噪声。',
    when: '相同的种子和设置得到相同的训练过程。更换种子可以看出结果中有多少是运气。',
  },
  steps: {
    label: '步数',
    what: '训练的生成器更新次数。',
    when: '步数越多越好，直到样本不再改善为止；请查看样本时间轴。尝试参数时先跑短一些。',
  },
  batchSize: {
    label: '批大小',
    what: '两个网络每批使用的图像数。',
    when: '批越大梯度和统计量（批归一化）越稳定，但占用更多内存、每步更慢；常用 32–64。批太小会让批归一化噪声很大。',
  },
  latentSize: {
    label: '潜变量维度',
    what: '生成器转换成图像的噪声向量 z 的长度。',
    when: '太小会限制多样性，太大浪费容量。小图像用 64–128。',
  },
  'model.arch': {
    label: '网络结构',
    what: 'DCGAN（普通的步长卷积）或 ResNet（带跳跃连接的残差块，SNGAN/BigGAN 风格）。',
    when: 'ResNet 能更稳定地训练更深的网络（文章 §一），样本通常更好，但每步更慢。小图像先用 DCGAN。',
  },
  'model.depth': {
    label: '深度',
    what: '生成器的上采样块数和判别器的下采样块数；留空则按图像尺寸自动选择。',
    when: '块越少模型越简单、越容易训练（文章 §六：先简化，再逐步加复杂度）。',
  },
  'model.gWidth': {
    label: '生成器宽度',
    what: '生成器在全分辨率处的通道数，更深的层是它的倍数。',
    when: '越宽表达能力越强、越慢。快速调试或生成器在极小数据集上过拟合时调窄。',
  },
  'model.dWidth': {
    label: '判别器宽度',
    what: '判别器在全分辨率处的通道数。',
    when: '判别器远强于生成器时会轻易获胜；判别器压制生成器时调窄判别器（或加宽生成器）。',
  },
  'model.gNorm': {
    label: '生成器归一化',
    what: '生成器内部的归一化：批归一化、层归一化、实例归一化、谱归一化或不使用。',
    when: '批归一化是 DCGAN 的默认选择，有助于生成器训练；批很小时用实例或层归一化避免批次间耦合（文章 §一）。',
  },
  'model.gProjectionNorm': {
    label: '投影后归一化',
    what: 'DCGAN：生成器是否对第一个特征图（由全连接层把 z 投影而来）做归一化。关闭时该全连接层带偏置，直接接 ReLU。',
    when: '开启即 DCGAN 论文中的生成器。关闭则与只在卷积后归一化的生成器一致（如速度基准中的 PyTorch 网络），计算也略省。',
  },
  'model.dNorm': {
    label: '判别器归一化',
    what: '判别器内部的归一化。谱归一化让每层满足 1-Lipschitz（SNGAN）。',
    when: '谱归一化是判别器最可靠的稳定手段。WGAN 类损失不要用批归一化：梯度惩罚是逐样本计算的。',
  },
  'model.gConditioning': {
    label: '生成器类别条件',
    what: '生成器接收类别的方式：条件批归一化，或与 z 拼接的嵌入向量。',
    when: '数据集有类别（按类别分的子文件夹）且想指定样本类别时使用。需要标签。',
  },
  'model.dConditioning': {
    label: '判别器类别条件',
    what: '判别器使用类别的方式：投影项，或 ACGAN 辅助分类器。',
    when: '多数论文中投影判别器更强；ACGAN 提供可观察的分类损失，但可能偏向容易分类的样本。',
  },
  'model.acganWeight': {
    label: 'ACGAN 权重',
    what: '辅助分类损失的权重。',
    when: '样本与类别不符时调高；类内多样性下降时调低。',
  },
  'model.minibatchStddev': {
    label: '小批量标准差',
    what: '在判别器中追加整批的标准差作为额外特征图（ProGAN）。',
    when: '防止模式崩溃的廉价手段：判别器能分辨出一批几乎相同的假样本和多样的真样本。',
  },
  'model.pixelNorm': {
    label: '像素归一化',
    what: 'ProGAN 在生成器中的逐像素特征归一化：每个隐藏层之后，把每个像素的特征向量缩放到均方为 1。仅限 DCGAN；导出（TensorFlow.js、ONNX、网页）时用标准层重建它。',
    when: '防止生成器与判别器对抗时信号幅度失控，ProGAN 用它代替批归一化。配合渐进式增长使用；在小型固定 DCGAN 中很少需要。',
  },
  'model.equalizedLr': {
    label: '均衡学习率',
    what: '权重从 N(0, 1) 初始化，每次使用时乘以 He 的 √(2 / 扇入)，使每一层在 Adam 下以相同速度学习（ProGAN）。',
    when: '用于渐进式增长和深层网络，否则扇入差异很大的各层学习速度也会差别很大。它改变了学习率的作用：ProGAN 搭配 lr 0.001、β1 0、β2 0.99。',
  },
  'model.minibatchDiscrimination.enabled': {
    label: '小批量判别',
    what: '判别器把每个样本与同批其他样本比较（Salimans 等 2016），并把这些距离作为特征。',
    when: '对付模式崩溃（文章 §二）：判别器整体评估一个小批量，生成器生成相同图像会受到惩罚。',
  },
  'model.minibatchDiscrimination.kernels': {
    label: '小批量核数（B）',
    what: '张量 T 的核数，用于投影特征以便比较。',
    when: '核越多能发现越多种相似性，代价很小。',
  },
  'model.minibatchDiscrimination.kernelDim': {
    label: '核维度（C）',
    what: '每个核投影的维度。',
    when: '很少需要修改；5–16 即可。',
  },
  'loss.type': {
    label: '损失函数',
    what: '对抗目标：minimax、非饱和、WGAN、WGAN-GP、hinge 或最小二乘（LSGAN）。',
    when: '非饱和损失是稳妥的默认值。WGAN-GP（文章 §三）解决梯度消失，损失值还能反映质量；LSGAN 和 hinge 比 minimax 更平稳。',
  },
  'loss.clipValue': {
    label: '权重裁剪（WGAN）',
    what: '原始 WGAN 把判别器的每个权重裁剪到 [−c, c]，以保持 Lipschitz 连续。',
    when: '太大则不满足 Lipschitz，太小则梯度消失。WGAN-GP 用梯度惩罚替代它。',
  },
  'loss.gpWeight': {
    label: '梯度惩罚 λ',
    what: 'WGAN-GP 在真实与生成样本之间的插值点上惩罚 (‖∇D(x̂)‖ − 1)² 的权重。',
    when: '论文取 10，一般无需修改（文章 §三）。',
  },
  'loss.r1Gamma': {
    label: 'R1 惩罚 γ',
    what: '惩罚判别器在真实图像上的梯度，γ/2·E‖∇D(x)‖²（0 = 关闭）；可与任意损失搭配。',
    when: '不用 WGAN 也能稳定判别器；判别器压制生成器或训练震荡时试 0.1–10。',
  },
  'loss.nCritic': {
    label: '每步生成器对应的判别器步数',
    what: '每次生成器更新之前判别器（critic）更新的次数。',
    when: 'Wasserstein 损失需要训练充分的判别器：取 5。其他损失保持 1，更多会让判别器压制生成器。',
  },
  'stabilizers.labelSmoothing.mode': {
    label: '标签平滑',
    what: '给判别器更软的目标：单侧把真实标签设为 0.9；双侧把真实标签随机取在 [0.7, 0.9]、假标签取在 [0.1, 0.3]（文章 §二）。',
    when: '判别器过于自信（D(x) → 1，D(G(z)) → 0）时使用。仅适用于 BCE 损失（minimax、非饱和）。',
  },
  'stabilizers.labelSmoothing.realTarget': {
    label: '真实目标（单侧）',
    what: '单侧平滑时判别器对真实图像的训练目标。',
    when: '通常 0.9；越低平滑越强。',
  },
  'stabilizers.labelSmoothing.realMin': {
    label: '真实目标下限',
    what: '随机真实目标的下限（双侧）。',
    when: '文章给出 0.7–0.9。',
  },
  'stabilizers.labelSmoothing.realMax': {
    label: '真实目标上限',
    what: '随机真实目标的上限（双侧）。',
    when: '保持小于 1；上下限相等即固定目标。',
  },
  'stabilizers.labelSmoothing.fakeMin': {
    label: '假目标下限',
    what: '随机假目标的下限（双侧）。',
    when: '文章给出 0.1–0.3。',
  },
  'stabilizers.labelSmoothing.fakeMax': {
    label: '假目标上限',
    what: '随机假目标的上限（双侧）。',
    when: '假目标过大会鼓励判别器对假样本犹豫不决；保持较小。',
  },
  'stabilizers.featureMatching.enabled': {
    label: '特征匹配',
    what: '生成器同时匹配判别器中间层在真实图像上的均值，‖E f(x) − E f(G(z))‖²（文章 §二）。',
    when: '判别器压制生成器或样本塌缩到少数模式时，为生成器提供更稳定的训练信号。',
  },
  'stabilizers.featureMatching.weight': {
    label: '特征匹配权重',
    what: '特征匹配项在生成器损失中的权重。',
    when: '生成器的对抗信号不可靠时调高。',
  },
  'stabilizers.featureMatching.adversarialWeight': {
    label: '保留的对抗权重',
    what: '生成器原有对抗损失保留的权重（0 = 只用特征匹配）。',
    when: '只用特征匹配样本会偏模糊；保留一些对抗权重。',
  },
  'stabilizers.featureMatching.layer': {
    label: '特征匹配层',
    what: '生成器匹配判别器的哪一层：0 = 判别器输出层之前的最后隐藏特征；k = 从图像起第 k 个判别器块的输出（展平）。最大为该图像尺寸下判别器的块数。',
    when: '较低的块匹配较粗的统计量（边缘、颜色）；最后的特征匹配判别器据以判断的内容。除非专门研究这一选择，保持 0。',
  },
  'stabilizers.historicalAveraging.gWeight': {
    label: '历史平均（生成器）',
    what: '惩罚生成器权重偏离其历史平均值，λ‖θ − θ̄‖²（Salimans 等 2016）。',
    when: '损失持续震荡、不收敛时使用（文章 §二）。',
  },
  'stabilizers.historicalAveraging.dWeight': {
    label: '历史平均（判别器）',
    what: '对判别器权重施加同样的惩罚。',
    when: '判别器在几种策略之间来回切换时使用。',
  },
  'stabilizers.historicalAveraging.averagedDForG': {
    label: '生成器对抗平均判别器',
    what: '更新生成器时使用判别器历史参数的平均值，而不是最新参数（文章中的说法）。',
    when: '减少震荡：生成器追赶一个变化更慢的目标。',
  },
  'stabilizers.instanceNoise.std': {
    label: '实例噪声 σ',
    what: '给判别器看到的每张图像（真或假）加上高斯噪声（0 = 关闭）。',
    when: '训练初期真假分布几乎不重叠，判别器轻易获胜；噪声让两者重叠。应逐渐退火到 0。',
  },
  'stabilizers.instanceNoise.annealSteps': {
    label: '实例噪声退火步数',
    what: 'σ 在这些步数内线性衰减到 0（0 = 不衰减）。',
    when: '通常取训练总步数的三分之一到一半。',
  },
  'stabilizers.ema.enabled': {
    label: '生成器 EMA',
    what: '维护生成器权重的指数滑动平均，用于采样和导出。',
    when: '几乎总能免费提升样本质量：它平均掉了最近几步的抖动。',
  },
  'stabilizers.ema.halfLifeImages': {
    label: 'EMA 半衰期（图像数）',
    what: '平均值在这么多张图像内遗忘一半的过去：每一步保留 β = 0.5^(批大小 / 半衰期)。',
    when: '大多数训练用 10 000（StyleGAN2-ADA 的 10 kimg）；几千步、小批量的训练可以更短。',
  },
  'stabilizers.ema.rampup': {
    label: 'EMA 预热比例',
    what: '半衰期最多为已见图像数的这一比例，所以训练初期平均值紧跟生成器（0 = 不预热）。',
    when: '保持 0.05：没有它，平均值会在几千步内一直停留在初始权重上，样本看起来是一片灰色。',
  },
  'stabilizers.ema.startStep': {
    label: 'EMA 起始步',
    what: '从这一步开始平均（之前直接复制生成器）。平均值预热期间，样本旁边会同时显示原始生成器的样本。',
    when: '长时间训练时跳过最初混乱的阶段。',
  },
  'augment.flip': {
    label: '水平翻转',
    what: '每张真实图像被左右镜像的概率。',
    when: '对人脸、动物和场景是免费的额外数据；对数字和文字不合适，镜像会改变含义。',
  },
  ...augmentP('rotation', '旋转', '随机小角度旋转'),
  'augment.rotation.degrees': {
    label: '旋转：角度',
    what: '向任一方向的最大旋转角度。',
    when: '几度即可增加多样性；大角度会产生与数据不符的图像。',
  },
  ...augmentP('scale', '缩放', '随机放大或缩小'),
  'augment.scale.amount': {
    label: '缩放：幅度',
    what: '最大相对缩放。',
    when: '0.1 表示 ±10 %。',
  },
  ...augmentP('translation', '平移', '随机平移'),
  'augment.translation.fraction': {
    label: '平移：比例',
    what: '最大平移量占图像边长的比例。',
    when: 'DiffAugment 取 0.125（八分之一）。',
  },
  ...augmentP('crop', '裁剪', '随机裁剪后再缩放回原尺寸'),
  'augment.crop.fraction': {
    label: '裁剪：比例',
    what: '裁剪区域边长占图像的比例。',
    when: '越接近 1 变化越小。',
  },
  ...augmentP('colorJitter', '颜色抖动', '随机亮度、对比度和饱和度变化'),
  'augment.colorJitter.brightness': {
    label: '颜色抖动：亮度',
    what: '最大亮度变化。',
    when: '小值可模拟光照变化。',
  },
  'augment.colorJitter.contrast': {
    label: '颜色抖动：对比度',
    what: '最大对比度变化。',
    when: '小值可模拟相机差异。',
  },
  'augment.colorJitter.saturation': {
    label: '颜色抖动：饱和度',
    what: '最大饱和度变化（对灰度图无效）。',
    when: '小值可模拟色彩平衡差异。',
  },
  ...augmentP('cutout', '遮挡', '随机方块遮挡'),
  'augment.cutout.fraction': {
    label: '遮挡：比例',
    what: '遮挡方块边长占图像的比例。',
    when: 'DiffAugment 取四分之一。',
  },
  ...augmentP('noise', '像素噪声', '高斯像素噪声'),
  'augment.noise.std': {
    label: '像素噪声：σ',
    what: '噪声的标准差，以 [−1, 1] 像素范围计。',
    when: '保持很小：否则生成器会学着生成噪声。',
  },
  'augment.diffAugment': {
    label: 'DiffAugment 策略',
    what: '在判别器损失内部对真实和生成图像施加相同的可微变换（Zhao 等 2020）。',
    when: '适合小数据集（几百到几千张图像）：判别器无法记住真实图像，生成器也不会学到增强本身。',
  },
  'augment.ada.enabled': {
    label: '自适应增强（ADA）',
    what: '根据判别器对真实图像的把握程度提高或降低 DiffAugment 策略的概率 p（StyleGAN2-ADA）。',
    when: '无法预估数据需要多少增强时使用；在训练页查看 aug p 和 r_t。',
  },
  'augment.ada.target': {
    label: 'ADA 目标 r_t',
    what: 'r_t = E[sign(D(x_real))] 的目标：高于它说明判别器过拟合，p 随之升高。',
    when: '论文取 0.6。',
  },
  'augment.ada.interval': {
    label: 'ADA 间隔',
    what: '两次更新 p 之间的步数。',
    when: '很少需要修改。',
  },
  'augment.ada.speedImages': {
    label: 'ADA 速度（图像数）',
    what: '在完全过拟合时 p 从 0 升到 1 所需的图像数。',
    when: '较小值在短训练中反应更快；较大值更平滑。',
  },
  ...optimizer('G'),
  ...optimizer('D'),
  'intervals.metricsEvery': {
    label: '指标间隔',
    what: '两次向图表发送指标之间的步数。',
    when: '短训练取小值得到更细的曲线；长训练取 10 以上以减轻负担。',
  },
  'intervals.sampleEvery': {
    label: '样本间隔',
    what: '两次生成固定噪声样本网格（样本库时间轴）之间的步数。',
    when: '足够频繁以看清进展（文章 §六：可视化训练过程），又不至于拖慢训练。',
  },
  'intervals.checkpointEvery': {
    label: '检查点间隔',
    what: '两次保存检查点（续训、分叉、评估、NaN 回退）之间的步数。',
    when: '检查点越频繁，崩溃或出现 NaN 时损失越少，可分叉的位置也越多。',
  },
  sampleGridSize: {
    label: '样本网格大小',
    what: '样本网格显示 N × N 张来自固定噪声的图像。',
    when: '网格越大越容易看出模式崩溃；越小渲染越快。',
  },
  'evaluation.everyCheckpoints': {
    label: '每 k 个检查点评估一次',
    what: '在每第 k 个检查点以及最后一个检查点上，用内置的特征网络（nsfwjs MobileNetV2，1792 维；不是 Inception，因此绝不是 FID）为生成器打分：FD、KID 和精确率/召回率，显示在训练页的“质量”图表中，并注明每次用时。最佳检查点是已评估检查点中 KID 最低的那个；等待评估的检查点不会被清理。设为 0 即关闭：此时最佳检查点就是最新的检查点（无质量指标）。',
    when: '想按图像本身而不是按损失挑选最佳检查点时开启。每次评估在 CPU 上需要数十秒，并在训练器的工作进程中与训练同时运行：在只有 2 个核心的机器上，评估运行期间会拖慢训练，因此在这类机器上请隔几个检查点评估一次。',
  },
  'evaluation.n': {
    label: '评估图像数（N）',
    what: '每次评估打分的生成图像数，以及用来对比的数据集真实图像数（数据集较小时会更少）。',
    when: '图像越多数值越稳定，耗时也越长（单个 CPU 线程上每张约 60 毫秒）。数值只能与用同样方式测得的数值比较：相同的网络、N、预处理和后端。',
  },
  'task.kind': {
    label: '任务',
    what: '本次训练学习什么。生成：从噪声生成图像（本编辑器的全部技巧）。成对翻译（pix2pix，Isola 等 2017）：U-Net 生成器把输入图像变成目标图像，条件 PatchGAN 判别器评判（输入，输出）对，损失为对抗损失 + λ·L1。非成对翻译（CycleGAN，Zhu 等 2017）：两个 U-Net 在两个没有配对的数据集之间互相映射，由循环一致性约束。',
    when: '修复图像（图像修复、超分辨率、上色：由本数据集即时生成）选成对；把一组图像的风格变成另一组的（如照片变油画）选非成对。',
  },
  'task.source': {
    label: '成对任务',
    what: '如何由一张图像构造训练对：图像修复在图上挖洞（掩码作为额外输入通道），超分辨率先缩小再用双三次插值放大，上色把图像变灰；原图就是目标。成对数据：本次训练的数据集是输入，B 域数据集（成对导入的另一半）是目标，一一对应。',
    when: '掩码与退化取自本次训练的种子随机流，因此可复现，并能精确恢复。上色需要彩色图像。',
  },
  'task.mask': {
    label: '修复的洞',
    what: '矩形：每张图一个轴对齐的洞，边长为图像边长的四分之一到二分之一。笔画：自由形状的粗笔画，如 DeepFill v2。',
    when: '笔画更难，也更接近划痕和要移除的物体；矩形更容易评判。',
  },
  'task.scale': {
    label: '超分辨率倍数',
    what: '输入是按此倍数（2 或 4）缩小、再双三次放大回原尺寸的图像：翻译器学习补出双三次插值补不出的细节。',
    when: '×4 比 ×2 难得多，需要更长训练；验证图表中的双三次 PSNR 是要超过的基线。',
  },
  'task.filter': {
    label: '缩小滤波器',
    what: '缩小图像所用的滤波器：区域（块平均）、双线性或双三次（Catmull-Rom，与 sharp 的 cubic 核一样抗锯齿）。',
    when: '与你要放大的低分辨率图像的制作方式一致；双三次是常见默认。',
  },
  'task.l1Weight': {
    label: 'L1 权重（λ）',
    what: '成对：g_loss = 对抗损失 + λ · mean |G(x) − y|。pix2pix 用 100。',
    when: '越大输出越贴近目标但越模糊；越小对抗项越能加入更锐利（可能是虚构的）细节。0 即纯条件 GAN。',
  },
  'task.perceptualWeight': {
    label: '感知损失权重（λ_p）',
    what: '成对：在 g_loss 中加上 λ_p · 数据集域内分类器两个卷积层上 |φ(G(x)) − φ(y)| 的均值（存储成对数据时用目标数据集的分类器）。0 为关闭。',
    when: '只用 L1 输出模糊时可试 1–10：特征鼓励笔画和边缘相符，而非逐像素一致。需要带类别和留出集、分类器已就绪的数据集；每步约多一次小网络的前向和反向计算。',
  },
  'task.datasetB': {
    label: 'B 域数据集',
    what: '非成对：要翻译成的那个域的数据集。本次训练自己的数据集是 A 域。两者须同一图像尺寸和通道数。',
    when: '先把两个文件夹按同一尺寸导入。',
  },
  'task.cycleWeight': {
    label: '循环权重（λ）',
    what: '非成对：循环一致性 L1 的权重，|G_BA(G_AB(a)) − a| + |G_AB(G_BA(b)) − b|。CycleGAN 用 10。',
    when: '越大越保留 A 的内容（形状）；越小翻译改动越大。',
  },
  'task.identityWeight': {
    label: '恒等权重',
    what: '非成对：恒等损失 |G_AB(b) − b| + |G_BA(a) − a|，权重为此值乘以循环权重（CycleGAN：0.5）。',
    when: '两域共享调色板时（照片 ↔ 油画）防止颜色和色调漂移；0 关闭。',
  },
  'task.poolSize': {
    label: '图像池',
    what: '非成对：D 从最近这么多张翻译结果的历史中学习：池满后，每张新图有一半概率换出一张旧图（Shrivastava 等 2017；CycleGAN 用 50）。',
    when: '抑制 D 追逐 G 最新输出造成的振荡；0 表示 D 只看当前批次。',
  },
  'progressive.enabled': {
    label: '渐进式增长',
    what: '逐个分辨率训练生成器和判别器（ProGAN，Karras 等 2018）：从小尺寸开始，每个更大尺寸的块在若干张图像内逐渐淡入。仅限 DCGAN。图表会标出每个尺寸开始和结束淡入的位置；早期尺寸的样本以放大后的形式保存。',
    when: '适合较大的图像（64 及以上）：先学粗略结构，训练更快更稳。28 × 28 及以下收益不大。把一次训练“增长”到更大尺寸时，会为新块开启它。',
  },
  'progressive.startSize': {
    label: '起始尺寸',
    what: '训练开始时的图像边长：必须是生成器各块在完整尺寸之下绘制的边长之一（64 × 64、深度 3 时为 16 或 32）。',
    when: '起点越小，越快学到整体布局；起点接近完整尺寸时，可增长的空间很小。',
  },
  'progressive.phaseImages': {
    label: '每阶段图像数',
    what: '每个分辨率在淡入之后以完整强度训练的图像数，之后下一个尺寸开始淡入。最后一个尺寸一直训练到总步数结束。',
    when: 'ProGAN 在人脸上每阶段用 60 万张；小数据集每阶段几个轮次就够了。太少的话，上一个尺寸还没稳定，下一个就开始了。',
  },
  'progressive.fadeImages': {
    label: '淡入图像数',
    what: '新尺寸淡入所用的图像数：α 从 0 升到 1，在生成器和判别器的输入中，把上一尺寸放大后的输出与新块混合。',
    when: '淡入越长，对已训练网络越温和；太短会造成冲击（图表中实线标记处损失跳变）。',
  },
  'progressive.firstPhaseImages': {
    label: '第一阶段图像数',
    what: '第一个（最小）尺寸在第一次淡入之前训练的图像数。留空则使用“每阶段图像数”。',
    when: '“增长”会设为 0：父训练已经训练过较小的尺寸，新块从第一步就开始淡入。',
  },
  'progressive.phases': {
    label: '按尺寸的设置',
    what: '可选的按尺寸行：该尺寸的批大小以及生成器和判别器的学习率；留空的单元格沿用本次训练自身的值。',
    when: 'ProGAN 随图像增大而减小批大小，使一步放得进内存；在最大尺寸上降低学习率可以让训练末段更稳定。',
  },
  'compute.threads': {
    label: 'CPU 线程数',
    what: 'wasm 后端计算所用的线程数；留空则使用全部核心（wasm 最多用 8 个）。命令行的 `--threads N` 会为所有训练覆盖此值。',
    when: '用满所有核心训练最快；少用几个可把核心留给其他工作。只有在相同后端和相同线程数下续训才能逐位一致；若有变化，会记录在训练事件中。',
  },
};
