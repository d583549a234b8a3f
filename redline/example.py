"""A small, self-made example task: an English paper, Chinese web pages and a Chinese request.

``python -m redline.example FOLDER`` writes ``paper.pdf``, ``long_context.json`` and
``query.jsonl`` into FOLDER. The output is the same bytes on every run.

One web page is a careless write-up of the paper, as real retrieved pages often are: it misspells two
authors and gives the code repository as the paper's link. The request asks for the paper's basic
information, so a first draft that copies that page has real errors, and the revision loop has
something to fix on its first run.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

PAPER_TITLE = "CiteCheck: Verifying Citations in Retrieval-Augmented Generation"
PAPER_AUTHORS = ["Lena Hartmann", "Wei Zhang", "Samuel Okafor"]
CREATED = datetime(2024, 6, 3, 9, 30, tzinfo=UTC)

PAPER_PAGES = [
    [
        "Abstract",
        "Large language models that answer with citations are only useful when each citation really "
        "supports the sentence it is attached to. We present CiteCheck, a verification loop for "
        "retrieval-augmented generation (RAG) that checks every cited passage with an entailment model "
        "and asks the writer to repair unsupported sentences. On a benchmark of 1,200 open-domain "
        "questions, CiteCheck raises citation precision from 71.4% to 86.9% while keeping answer "
        "correctness unchanged.",
        "1 Introduction",
        "Retrieval-augmented generation combines a retriever, which selects passages from a corpus, with "
        "a generator, which writes an answer conditioned on those passages. Citations make such answers "
        "checkable, but earlier studies found that roughly one in four citations produced by strong "
        "models does not support its sentence. CiteCheck treats citations as claims that must be "
        "verified before an answer is shown to a user.",
    ],
    [
        "2 Method",
        "The retriever returns the top 5 passages of 100 words each for every question, using a dense "
        "retriever trained on question-passage pairs. The generator writes an answer in which every "
        "sentence ends with one or more bracketed passage numbers.",
        "The verifier splits the answer into sentences and scores each sentence against the "
        "concatenation of its cited passages with a natural language inference (NLI) model. A sentence "
        "is supported when the entailment probability is at least 0.62; this threshold was tuned on 200 "
        "held-out questions.",
        "Unsupported sentences are returned to the generator together with the verifier's reason. The "
        "loop runs at most 3 revision rounds, and a revision is accepted only when the number of "
        "supported sentences does not decrease.",
    ],
    [
        "3 Results",
        "We evaluate on 1,200 questions drawn from three question-answering datasets. Citation recall, "
        "the share of sentences fully supported by their citations, rises from 64.8% to 78.2%. Citation "
        "precision, the share of citations that are relevant to their sentence, rises from 71.4% to "
        "86.9%.",
        "Answer correctness stays at 52.3% with and without verification, so the gains do not come "
        "from shorter or emptier answers. The verification loop adds 38% to the average response "
        "latency; most of that time is spent in the second revision round.",
        "In a human evaluation of 150 answers, annotators agreed with the verifier's decision on 87% of "
        "the sentences.",
    ],
    [
        "4 Limitations and Conclusion",
        "Retrieval misses cause 14% of the remaining errors: when no retrieved passage contains the "
        "answer, the verifier can only remove sentences, not fix them. The NLI model also struggles with "
        "numerical reasoning across two passages.",
        "Our benchmark is English only; extending CiteCheck to Chinese and to long documents with page "
        "level citations is left for future work. We conclude that checking citations with an "
        "inexpensive verifier is a practical step toward trustworthy retrieval-augmented generation.",
    ],
]

WEB_PAGES = [
    {
        "title": "检索增强生成（RAG）入门：原理、流程与关键组件-技术博客",
        "page_body": (
            "检索增强生成（Retrieval-Augmented Generation，简称RAG）是一种把信息检索与大语言模型结合起来的技术框架。"
            "它的基本思想是：在模型回答问题之前，先从外部知识库中检索出与问题相关的文档片段，再把这些片段连同问题一起交给模型生成答案。\n"
            "一个典型的RAG系统包含三个关键组件。第一是文档处理与索引：系统把原始文档切分成长度适中的文本块，常见做法是每块几百到一千多个字符，并在相邻文本块之间保留一定的重叠，以免一句话被切断。"
            "第二是检索器：稀疏检索器依靠关键词匹配，例如BM25；稠密检索器则把问题和文本块编码成向量，通过向量相似度找出最相关的若干片段。"
            "第三是生成器：大语言模型以检索到的片段为上下文撰写回答。\n"
            "与只依赖模型参数中记忆的知识相比，RAG有三个明显优势。其一，知识可以随时更新，只需替换知识库而无需重新训练模型；"
            "其二，回答可以附带来源，读者能够回到原文核对；其三，在专业领域中，检索到的资料能够显著减少模型凭空编造内容的情况。\n"
            "在工程实践中，检索的质量往往决定了整个系统的上限。如果检索器没有找到包含答案的文档，生成器再强也只能给出含糊甚至错误的回答。"
            "因此，许多团队会在检索之后增加重排序步骤，用更精细的模型对候选片段重新打分，只把最相关的三到五个片段交给生成器。\n"
            "从流程上看，一次完整的RAG问答通常分为五步：用户提出问题；系统对问题进行改写或扩展，补充同义词和关键实体；检索器从索引中取出候选片段；"
            "重排序模型挑选最相关的片段并按相关度排列；生成器在提示词中读入这些片段，写出回答并注明每个论断来自哪个片段。\n"
            "文本切块是最容易被忽视却影响很大的环节。切得太小，单个片段缺少上下文，模型难以理解；切得太大，片段中混入大量无关内容，既浪费上下文窗口，也会干扰模型判断。"
            "实践中常用的折中方案是按段落或句子边界切分，单块控制在一千五百字符左右，相邻块重叠约两百字符。\n"
            "向量检索依赖嵌入模型。嵌入模型把一段文字映射为一个几百到几千维的向量，语义相近的文字在向量空间中距离更近。"
            "为了同时兼顾关键词精确匹配和语义匹配，不少系统采用混合检索：分别用BM25和向量检索取回候选，再合并打分。\n"
            "提示词的组织同样重要。常见的模板会先给出系统指令，说明“只能依据下列资料回答，资料中没有的内容请说明无法回答”；"
            "随后按编号列出检索到的片段，每个片段前标明来源名称；最后给出用户的问题。这样的结构让模型清楚地知道哪些内容可以引用，也便于在回答中写出对应的编号。\n"
            "RAG与微调并不是互相排斥的选择。微调改变的是模型的表达方式和领域习惯，适合让模型学会某种写作风格或输出格式；RAG提供的则是回答所依据的事实，适合知识更新频繁、需要给出出处的场景。"
            "在企业知识库问答、法律条文检索、科研文献综述等任务中，两者常常配合使用。\n"
            "评价一个RAG系统时，通常要分别考察检索和生成两个环节：检索环节看前几名结果中是否包含答案所在的片段，生成环节看回答是否正确、是否忠实于检索到的材料。"
            "只有把两个环节分开度量，才能判断问题究竟出在“没查到”还是“没写好”。\n"
            "在部署层面，知识库需要定期更新：新增文档要及时切块、编码并写入索引，过期或被撤回的文档要从索引中删除，否则模型可能引用已经失效的信息。"
            "对于包含表格和图片的文档，还需要额外的解析步骤，把表格转成结构化文本，为图片生成文字描述，使这些内容也能被检索到。"
            "一些系统还会记录每个片段在原文中的位置，例如页码和段落编号，这样模型在引用时就可以给出精确的出处。\n"
            "总之，RAG把“查资料”和“写答案”两个环节分开，让大模型的回答既能利用最新知识，又具备可追溯的依据。"
        ),
    },
    {
        "title": "让大模型学会标注来源：引用生成的常见做法",
        "page_body": (
            "让大模型在回答中标注引用，是提升可信度的重要手段。目前常见的做法大致有三种。\n"
            "第一种是在提示词中直接要求模型为每句话标注来源编号，例如在句末写上[1][2]，编号对应检索到的文档片段。这种方法实现简单，但模型有时会标注与句子无关的片段，或者遗漏引用。\n"
            "第二种是先生成后归因：模型先写出完整回答，再由另一个步骤为每句话寻找最能支持它的片段。这种方法的回答更流畅，但归因步骤可能找不到合适的证据。\n"
            "第三种是生成与核查相结合：模型写出带引用的回答后，由核查模块逐句检查引用是否真正支持该句，不被支持的句子会被退回修改或删除。"
            "研究表明，这种“写作—核查—修订”的循环可以明显提高引用的准确性，同时不会降低回答的正确率。\n"
            "无论采用哪种做法，引用都应当指向读者可以打开和核对的具体位置，例如论文的页码或网页的段落，而不是笼统地写“参见相关资料”。\n"
            "在格式上，学术写作常用作者加年份或方括号编号的形式，而面向普通读者的报告更适合在句末用方括号写出来源名称和位置，例如论文名称加页码。"
            "统一、规范的引用格式不仅方便人工核对，也让自动核查程序能够准确解析每一条引用。\n"
            "实践表明，引用标注得越具体，读者核对所需的时间就越短，对回答的信任也越高。\n"
            "还有一点经常被忽略：引用的来源必须是模型真正读到的材料。如果模型引用了检索结果之外的文献，或者把代码仓库误当作论文的官方网站，读者按图索骥时就会发现出处对不上，整份报告的可信度也会随之下降。"
        ),
    },
    {
        "title": "如何评估AI回答中的引用质量？引用召回率与引用精确率详解",
        "page_body": (
            "随着越来越多的问答系统在回答中附带引用，如何评价引用的质量成为研究热点。普林斯顿大学的研究者提出了ALCE基准，用于自动评估大模型生成带引用文本的能力。"
            "该基准从三个维度衡量系统：流畅性、正确性和引用质量。\n"
            "引用质量通常用两个指标刻画。引用召回率关注的是句子层面：一句话的全部引用合在一起，是否足以支持这句话的内容。如果一句话没有任何引用，或者引用的材料推不出这句话，它就会降低召回率。"
            "引用精确率关注的是引用层面：每一条引用是否与所在句子相关。如果删去某条引用后其余引用仍然足以支持句子，而这条引用本身又不能单独支持句子，它就被视为多余的引用，会降低精确率。\n"
            "自动评估通常借助自然语言推理（NLI）模型完成。评估时，把被引用的文本作为前提，把句子作为假设，模型判断前提是否蕴含假设。"
            "实验发现，这类自动判断与人工标注具有较高的一致性，因此可以在大规模实验中替代昂贵的人工评估。\n"
            "评估结果揭示了一个值得注意的现象：即使是能力很强的模型，也有相当比例的引用不能真正支持对应的句子。"
            "有研究报告，在部分数据集上，大约四分之一的引用存在问题。这说明仅仅让模型“写上引用”是不够的，还需要在输出之前进行核查。\n"
            "除了召回率和精确率，一些工作还关注引用的粒度。引用整篇文档虽然容易做到“支持”，但读者很难定位证据；引用到具体段落或页码，核对成本就低得多。"
            "因此，评估体系正在从“有没有引用”转向“引用是否准确、是否便于核对”。\n"
            "在中文场景中，评估还面临额外的困难：中文句子边界不如英文清晰，长句中往往包含多个事实，需要先把句子拆分成更小的论断再逐一判断。"
            "此外，中文网页的标题常常很长，引用时只写标题前半部分容易造成歧义，这也要求系统为每个来源提供稳定、唯一的地址。\n"
            "总体来看，一个好的引用评估方法应当同时回答三个问题：每句话有没有依据？每条引用是不是相关？读者能不能快速找到原文？\n"
            "在实际操作中，评估流程一般分为四步：先把回答切分成句子；再解析每句话末尾的引用，找到对应的原文片段；然后用NLI模型判断引用内容能否推出句子；最后汇总得到召回率和精确率。"
            "如果某条引用指向不存在的文档或页码，它应当直接判为无效引用，这类错误比“支持不充分”更严重，因为读者根本无法核对。\n"
            "值得注意的是，指标之间存在此消彼长的关系。系统若为每句话堆砌大量引用，召回率可能上升，但精确率会下降；若只引用一条最相关的材料，精确率较高，却可能遗漏必要的证据。"
            "因此，报告评估结果时应同时给出两个指标，并结合人工抽检说明自动评估的可靠程度。\n"
            "近年来的研究还对比了不同的提示策略对引用质量的影响。例如，先让模型总结每个检索片段再作答，可以减少无关引用；让模型在回答前先列出要使用的证据，也有助于提高召回率。"
            "不过，这些策略会增加输入长度和推理成本，在检索片段较多时尤其明显。\n"
            "另一类方法把评估结果直接用于改进系统：核查模块找出不被支持的句子后，把原因反馈给生成模型，让它修改或删除这些句子，再重新核查，直到通过或达到最大轮数。"
            "有论文报告，采用这种核查循环后，引用精确率从百分之七十一左右提高到接近百分之八十七，而答案正确率基本保持不变。\n"
            "人工评估仍然不可或缺。研究者通常会抽取一百到两百条回答，请标注员逐句判断引用是否支持句子，再与自动评估的结果对比，以确认NLI模型的判断是否可信。"
            "如果两者一致率较低，就需要更换更强的核查模型或调整判断阈值。\n"
            "对于使用者来说，理解这些指标的含义有助于正确解读评测报告：召回率低说明很多句子缺乏依据，精确率低说明引用中夹杂了大量无关材料，两者都需要警惕。"
        ),
    },
    {
        "title": "大模型幻觉从何而来：检索不足、生成偏差与核查机制",
        "page_body": (
            "大模型“幻觉”指模型生成看似合理但与事实不符的内容。对于检索增强生成系统而言，幻觉主要有两个来源。\n"
            "第一个来源是检索不足。当知识库中没有相关文档，或者检索器没有把包含答案的片段排在前面时，模型只能依赖自身参数中的记忆作答，此时最容易编造细节，例如虚构数字、人名或出处。\n"
            "第二个来源是生成偏差。即使检索到了正确的片段，模型也可能误读材料、把两个片段的信息错误地拼接在一起，或者在修改回答时加入材料中不存在的新说法。"
            "数字推理尤其容易出错，例如把两篇材料中的百分比相加或比较，而材料本身并没有给出这样的结论。\n"
            "针对这些问题，业界通常采用多层核查机制：在检索阶段扩大召回范围并进行重排序；在生成阶段要求逐句标注来源；在输出之前用自动核查模块检查每条引用能否支持对应的句子，并核对数字是否与原文一致。"
            "对于核查不通过的句子，系统可以要求模型修订，或者直接删除，宁可少写，也不写没有依据的内容。\n"
            "需要强调的是，修订本身也可能引入新的错误。因此，一个可靠的系统在接受修订之前，应确认修订后的版本没有比原来更差，例如被支持的句子数量没有减少。\n"
            "此外，模型在回答被截断、只输出了占位文字或计划说明时，也不应被当作完成的报告。核查机制需要同时检查回答是否完整、长度是否符合要求。\n"
            "在写作类任务中，幻觉还常常表现为对专有名词的错误展开，例如把缩写扩写成并不存在的中文全称。\n"
            "对普通用户而言，判断一段回答是否可能存在幻觉，可以先看它有没有给出具体出处，再抽查一两条引用是否与原文一致。"
        ),
    },
    {
        "title": "RAG技术的挑战与未来趋势：长文档、多模态与可验证输出",
        "page_body": (
            "经过几年的快速发展，检索增强生成已经成为大模型落地应用的主流方案之一，但它仍然面临不少挑战。\n"
            "挑战之一是检索质量。在开放领域问答中，相当一部分错误来自检索失败：相关文档根本没有被找到。对于这类错误，生成端的任何改进都无济于事，只能通过改进索引、扩充知识库和优化查询改写来解决。\n"
            "挑战之二是长文档处理。论文、法规和技术手册往往长达数十页，简单地按固定长度切块会把表格、公式和上下文割裂开来。"
            "越来越多的系统开始保留文档结构，例如按页、按章节建立索引，使引用能够精确到页码，方便读者核对。\n"
            "挑战之三是效率。逐句核查引用会增加额外的计算开销，有实验显示，加入核查循环后系统的平均响应时间增加了三成以上。"
            "如何在准确性与速度之间取得平衡，是工程部署必须考虑的问题。常见做法包括只对关键论断进行核查、并行处理多个句子，以及使用更小的核查模型。\n"
            "挑战之四是多语言与多模态。现有的大部分评测基准以英文为主，中文等语言的评测资源相对缺乏；同时，越来越多的资料以视频、图片和表格的形式存在，"
            "系统需要能够引用视频中的某一时刻或图片中的某个区域。\n"
            "展望未来，RAG技术呈现出几个发展趋势。一是从“一次检索”走向“多轮检索”，由智能体根据中间结果决定下一步查什么；"
            "二是从“生成答案”走向“生成可验证的答案”，把引用核查作为系统的标准环节；三是评估方式从单纯看答案是否正确，转向同时考察依据是否充分、引用是否可核对。"
            "可以预见，能够给出可靠引用的系统将在科研、法律和医疗等对准确性要求很高的领域获得更广泛的应用。\n"
            "对于准备引入RAG的团队，业内人士给出了几条建议：先建立小规模的评测集，明确衡量检索和引用质量的指标；从结构清晰、来源可靠的文档入手搭建知识库；"
            "在上线前对引用进行抽样核查，并持续记录检索失败的案例；同时为用户提供查看原文的入口，让每一条结论都能被追溯。"
            "随着开源工具和评测基准日益完善，构建一个既准确又可验证的RAG系统的门槛正在不断降低。\n"
            "也有研究者提醒，可验证并不等于正确：引用能够支持句子，只说明句子忠实于材料，材料本身是否可靠仍需要人来判断。"
            "因此，在对权威性要求高的场景中，系统还应优先检索官方文件、同行评审论文等高质量来源，并在报告中说明来源的类型。\n"
            "成本也是不可回避的问题。如果每一轮修订都把完整的文档和对话历史重新发送给模型，输入长度会迅速膨胀，一个任务就可能消耗数十万个词元。"
            "更经济的做法是只发送与待修改句子相关的片段，并把核查结果以结构化的形式反馈给模型，让它有针对性地修改。\n"
            "最后，标准化也是未来的重要方向。不同系统的引用格式五花八门，有的写网页标题，有的写链接，有的写页码范围。"
            "如果能够形成统一的引用规范，并让每个来源都有稳定的地址，不同系统生成的报告就可以用同一套工具进行核查和比较。"
        ),
    },
    {
        "title": "CiteCheck论文基本信息与解读",
        "page_body": (
            "CiteCheck是一篇关于检索增强生成中引用核查的论文，提出用蕴含模型逐句检查引用是否支持所在的句子。\n"
            "这篇论文的基本信息如下，论文作者：Lena Hartman、Wei Zhang、Samuel Okafar。\n"
            "论文的基本信息还包括原文链接，论文原文链接：https://github.com/citecheck/citecheck，读者可以在这里找到论文的全部内容。\n"
            "作者在一千二百个开放域问题上进行了实验，引用精确率从百分之七十一点四提高到百分之八十六点九。\n"
            "该方法的核查循环最多运行三轮修订，只有在被支持的句子数量不减少时才接受修订。"
        ),
    },
]

QUERY = (
    "假设你是一名研究助理，需要为团队撰写一份技术调研报告。请根据提供的论文paper.pdf和网页资料，"
    "撰写一篇《检索增强生成与可验证引用技术调研报告》。报告需包含以下部分：（1）论文基本信息（题目、作者与原文链接）；"
    "（2）检索增强生成的基本原理与流程；（3）引用质量的评估方法与指标；（4）当前面临的挑战与发展趋势。要求使用正式书面语，结构清晰，"
    "字数在800至1200字，每个关键论述都需标注来源（论文页码或网页标题）。"
)


def write(pdf: FPDF, text: str, style: str, size: int, align: str = "L") -> None:
    """One paragraph across the full text width, then back to the left margin."""
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(0, size * 0.55, text, align=align, new_x="LMARGIN", new_y="NEXT")


def paper_pdf() -> bytes:
    """The example paper: four pages, title and authors on page 1, fixed creation date."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(CREATED)
    pdf.set_title(PAPER_TITLE)
    pdf.set_author(", ".join(PAPER_AUTHORS))
    pdf.set_margins(25, 25)
    for number, blocks in enumerate(PAPER_PAGES, start=1):
        pdf.add_page()
        if number == 1:
            write(pdf, PAPER_TITLE, "B", 16, align="C")
            write(pdf, "   ".join(PAPER_AUTHORS), "", 11, align="C")
            write(pdf, "Institute for Grounded Language Systems", "", 11, align="C")
            pdf.ln(6)
        for block in blocks:
            heading = block[0].isdigit() or block == "Abstract"
            write(pdf, block, "B" if heading else "", 13 if heading else 11)
            pdf.ln(3)
    return bytes(pdf.output())


def write_example(folder: Path) -> Path:
    """Write the example task into ``folder`` (created if needed) and return it. ``query.jsonl``
    names the task after the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "paper.pdf").write_bytes(paper_pdf())
    pages = json.dumps(WEB_PAGES, ensure_ascii=False, indent=2)
    (folder / "long_context.json").write_text(pages + "\n", encoding="utf-8")
    line = json.dumps({"task": folder.name, "query": QUERY}, ensure_ascii=False)
    (folder / "query.jsonl").write_text(line + "\n", encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    """``python -m redline.example FOLDER``: write the example task and print where it is."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m redline.example FOLDER", file=sys.stderr)
        return 2
    print(write_example(Path(args[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
